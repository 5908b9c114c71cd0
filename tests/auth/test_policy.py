"""The role policy as a grid: every role x page, every role's data scope."""

import pytest

from auth.policy import (
    PAGES,
    ROLES,
    PolicyError,
    Principal,
    as_previewed,
    can_open,
    pages_for,
    scope_for,
)
from core.scope import DEFAULT_SUPPRESS_BELOW

KILIFI, KWALE, MOMBASA = "003", "002", "001"
SUPPRESS_BELOW = 11

PRINCIPALS = {
    "admin": Principal("a", "A", "admin"),
    "project_manager": Principal("p", "P", "project_manager"),
    "cuc_member": Principal("c", "C", "cuc_member", (KILIFI,)),
    "monitor": Principal("m", "M", "monitor"),
}

# Expected access, written out by hand: a change to the policy must change this table.
EXPECTED_PAGES = {
    ("admin", "overview"): True,
    ("project_manager", "overview"): True,
    ("cuc_member", "overview"): True,
    ("monitor", "overview"): True,
    ("admin", "upload"): True,
    ("project_manager", "upload"): True,
    ("cuc_member", "upload"): False,
    ("monitor", "upload"): False,
    ("admin", "funnel"): False,
    ("project_manager", "funnel"): True,
    ("cuc_member", "funnel"): True,
    ("monitor", "funnel"): False,
    ("admin", "progress"): False,
    ("project_manager", "progress"): True,
    ("cuc_member", "progress"): True,
    ("monitor", "progress"): False,
    # Map, training and outreach: managers and CUC members; monitors and admins get these
    # figures only through the summary.
    ("admin", "map"): False,
    ("project_manager", "map"): True,
    ("cuc_member", "map"): True,
    ("monitor", "map"): False,
    ("admin", "training"): False,
    ("project_manager", "training"): True,
    ("cuc_member", "training"): True,
    ("monitor", "training"): False,
    ("admin", "outreach"): False,
    ("project_manager", "outreach"): True,
    ("cuc_member", "outreach"): True,
    ("monitor", "outreach"): False,
    # Indicators against targets: project managers only.
    ("admin", "indicators"): False,
    ("project_manager", "indicators"): True,
    ("cuc_member", "indicators"): False,
    ("monitor", "indicators"): False,
    # The quarterly summary: monitors and admins, and managers too; not CUC members.
    ("admin", "summary"): True,
    ("project_manager", "summary"): True,
    ("cuc_member", "summary"): False,
    ("monitor", "summary"): True,
    ("admin", "users"): True,
    ("project_manager", "users"): False,
    ("cuc_member", "users"): False,
    ("monitor", "users"): False,
    ("admin", "audit"): True,
    ("project_manager", "audit"): False,
    ("cuc_member", "audit"): False,
    ("monitor", "audit"): False,
}


def test_grid_covers_every_role_and_page():
    assert set(EXPECTED_PAGES) == {(r, p.id) for r in ROLES for p in PAGES}


@pytest.mark.parametrize(("role", "page_id"), sorted(EXPECTED_PAGES))
def test_page_access(role, page_id):
    principal = PRINCIPALS[role]
    assert can_open(principal, page_id) is EXPECTED_PAGES[(role, page_id)]
    assert (page_id in [p.id for p in pages_for(principal)]) is EXPECTED_PAGES[(role, page_id)]


@pytest.mark.parametrize(
    ("role", "counties", "suppress_below"),
    [
        ("admin", None, SUPPRESS_BELOW),
        ("project_manager", None, 0),
        ("cuc_member", (KILIFI,), 0),
        ("monitor", None, SUPPRESS_BELOW),
    ],
)
def test_scope(role, counties, suppress_below):
    scope = scope_for(PRINCIPALS[role])
    assert scope.counties == counties
    assert scope.suppress_below == suppress_below
    assert scope.aggregate_only is (suppress_below > 0)


def test_suppression_hides_one_to_ten_by_default_and_follows_the_setting():
    assert DEFAULT_SUPPRESS_BELOW == 11
    assert scope_for(PRINCIPALS["monitor"], suppress_below=15).suppress_below == 15
    assert scope_for(PRINCIPALS["project_manager"], suppress_below=15).suppress_below == 0


def test_cuc_member_with_two_counties_sees_both_sorted():
    scope = scope_for(Principal("c", "C", "cuc_member", (KILIFI, KWALE)))
    assert scope.counties == (KWALE, KILIFI)
    assert MOMBASA not in scope.counties


@pytest.mark.parametrize(
    "principal",
    [
        Principal("c", "C", "cuc_member", ()),  # would otherwise mean "no limit"
        Principal("p", "P", "project_manager", (KILIFI,)),
        Principal("m", "M", "monitor", (KILIFI,)),
        Principal("x", "X", "superuser"),
    ],
)
def test_invalid_principals_get_no_scope_and_no_pages(principal):
    with pytest.raises(PolicyError):
        scope_for(principal)
    with pytest.raises(PolicyError):
        pages_for(principal)
    assert not any(can_open(principal, p.id) for p in PAGES)


def test_unknown_page_is_closed_to_everyone():
    assert not any(can_open(p, "no-such-page") for p in PRINCIPALS.values())


@pytest.mark.parametrize(("role", "previews"), [("project_manager", True), ("cuc_member", False),
                                                ("monitor", False), ("admin", False)])
def test_only_managers_may_preview_as_a_monitor(role, previews):
    principal = PRINCIPALS[role]
    viewer = as_previewed(principal, True)
    assert (viewer.role == "monitor" and viewer is not principal) is previews
    assert as_previewed(principal, False) is principal
    if previews:
        assert scope_for(viewer) == scope_for(PRINCIPALS["monitor"])
