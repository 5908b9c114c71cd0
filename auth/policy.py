"""Role policy as data: which pages each role may open and what data it may see.

Pure functions over plain values, so the whole grid of role x page is table-tested
(tests/auth/test_policy.py). ``app.py`` builds the navigation from ``pages_for``;
each page script checks ``can_open`` again through ``auth.require``.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.scope import DEFAULT_SUPPRESS_BELOW, Scope

ROLES = ("admin", "project_manager", "cuc_member", "monitor")
ROLE_LABELS = {
    "admin": "Administrator",
    "project_manager": "Project manager",
    "cuc_member": "Court User Committee member",
    "monitor": "State Department monitor",
}


class PolicyError(PermissionError):
    pass


@dataclass(frozen=True)
class Principal:
    username: str
    display_name: str
    role: str
    counties: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageSpec:
    id: str
    title: str
    icon: str
    script: str
    roles: frozenset[str]


ADMIN_ONLY = frozenset({"admin"})
# Pages with case-level detail (stages, durations, court dates) are for the people who work
# the cases: CUC members for their counties and project managers. Monitors and admins
# get summaries elsewhere.
CASE_WORK = frozenset({"cuc_member", "project_manager"})

PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "overview", "Overview", ":material/dashboard:", "views/overview.py", frozenset(ROLES)
    ),
    PageSpec("funnel", "Prosecution funnel", ":material/filter_alt:", "views/funnel.py",
             CASE_WORK),
    PageSpec("progress", "Case progress", ":material/gavel:", "views/progress.py", CASE_WORK),
    PageSpec("map", "County map", ":material/map:", "views/map.py",
             frozenset({"project_manager", "cuc_member"})),
    PageSpec("training", "Training coverage", ":material/school:", "views/training.py",
             frozenset({"project_manager", "cuc_member"})),
    PageSpec("outreach", "Outreach and referrals", ":material/campaign:", "views/outreach.py",
             frozenset({"project_manager", "cuc_member"})),
    # Indicators against the performance-monitoring plan's targets: the managers' report.
    PageSpec("indicators", "Indicators", ":material/flag:", "views/indicators.py",
             frozenset({"project_manager"})),
    # The donor's one screen per quarter, from the protected release.
    PageSpec("summary", "Quarterly summary", ":material/summarize:", "views/summary.py",
             frozenset({"monitor", "admin", "project_manager"})),
    PageSpec(
        "upload", "Upload data", ":material/upload_file:", "views/upload.py",
        frozenset({"admin", "project_manager"}),
    ),
    PageSpec("users", "Users", ":material/manage_accounts:", "views/users.py", ADMIN_ONLY),
    PageSpec("audit", "Audit log", ":material/history:", "views/audit.py", ADMIN_ONLY),
)

# Role -> (limited to the user's own counties?, suppress small counts?)
_DATA_RULES = {
    "project_manager": (False, False),
    "cuc_member": (True, False),
    "monitor": (False, True),
    # Admins run the system, not the programme: they see what a monitor sees.
    "admin": (False, True),
}


def validate(principal: Principal) -> None:
    if principal.role not in ROLES:
        raise PolicyError(f"unknown role {principal.role!r}")
    own_counties, _ = _DATA_RULES[principal.role]
    if own_counties and not principal.counties:
        raise PolicyError("a CUC member must be assigned at least one county")
    if not own_counties and principal.counties:
        raise PolicyError(f"the {principal.role} role covers all counties; assign none")


def pages_for(principal: Principal) -> list[PageSpec]:
    validate(principal)
    return [p for p in PAGES if principal.role in p.roles]


def can_open(principal: Principal, page_id: str) -> bool:
    try:
        return any(p.id == page_id for p in pages_for(principal))
    except PolicyError:
        return False


def page(page_id: str) -> PageSpec:
    for p in PAGES:
        if p.id == page_id:
            return p
    raise KeyError(page_id)


def scope_for(principal: Principal, *, suppress_below: int = DEFAULT_SUPPRESS_BELOW) -> Scope:
    """What ``principal`` may read; ``suppress_below`` is the setting HAKI_SUPPRESS_BELOW."""
    validate(principal)
    own_counties, suppress = _DATA_RULES[principal.role]
    return Scope(
        counties=tuple(principal.counties) if own_counties else None,
        suppress_below=suppress_below if suppress else 0,
    )


# Roles that may look at any page as a monitor would (the monitor's scope, withholding and
# pages), to check what the donor will see before it is published.
PREVIEW_AS_MONITOR = frozenset({"project_manager"})
MONITOR_VIEW = Principal("preview", "Preview", "monitor")


def as_previewed(principal: Principal, preview: bool) -> Principal:
    """The principal whose pages and scope apply: a monitor's, when ``principal`` may preview
    and asked to; otherwise ``principal`` itself."""
    if preview and principal.role in PREVIEW_AS_MONITOR:
        return MONITOR_VIEW
    return principal
