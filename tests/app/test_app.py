"""The app as each role sees it, driven through the real sign-in form with AppTest."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from auth import users
from auth.demo_accounts import listed
from auth.policy import Principal, scope_for
from metrics.overview import trend_grain
from metrics.periods import period_bounds, quarters_until
from queries.overview import headline, reported_trend
from queries.scope import Filters
from ui import runtime as ui_runtime


@pytest.fixture
def app_on(demo_warehouse, monkeypatch, tmp_path):
    url = demo_warehouse.url.render_as_string(hide_password=False)
    monkeypatch.setenv("HAKI_WAREHOUSE_URL", url)
    monkeypatch.setenv("HAKI_SECRETS_FILE", str(tmp_path / "none.toml"))
    ui_runtime._build.clear()
    yield demo_warehouse
    ui_runtime._build.clear()


def _account(engine, username):
    return next(a for a in listed(engine) if a["username"] == username)


def _signed_in(engine, username) -> AppTest:
    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    account = _account(engine, username)
    at.text_input[0].input(account["username"])
    at.text_input[1].input(account["password"])
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def _default_filters():
    qs = quarters_until(date.today())
    start, end = period_bounds(qs[-4], qs[-1], date.today())
    return Filters(start, end)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_sign_in_page_lists_demo_accounts_and_shows_the_banner(app_on):
    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.run()
    assert any("Synthetic demo data" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert set(table["Username"]) == {a["username"] for a in listed(app_on)}
    assert not at.metric  # nothing from the warehouse before signing in


@pytest.mark.parametrize(
    ("username", "role", "counties"),
    [
        ("demo-manager", "project_manager", ()),
        ("demo-cuc-kilifi", "cuc_member", ("003",)),
        ("demo-cuc-kwale", "cuc_member", ("002",)),
        ("demo-monitor", "monitor", ()),
        ("demo-admin", "admin", ()),
    ],
)
def test_each_role_sees_its_own_numbers(app_on, username, role, counties):
    at = _signed_in(app_on, username)
    assert at.title[0].value == "Overview"
    scope = scope_for(Principal(username, "", role, counties))
    expected = headline(app_on, scope, _default_filters())
    shown = _metrics(at)
    for row in expected.iter_rows(named=True):
        want = "suppressed (1–10)" if row["current"] is None else f"{row['current']:,}"
        assert shown[row["label"]] == want, row["label"]
    table = at.dataframe[0].value  # the trend's data table
    trend = reported_trend(app_on, scope, _default_filters(), trend_grain(scope))
    assert set(table["County"]) == set(trend["county"])
    if counties:
        assert set(table["County"]) == {"Kilifi" if counties == ("003",) else "Kwale"}
    page_text = " ".join(str(e.value) for e in at.markdown) + " ".join(c.value for c in at.caption)
    if username == "demo-cuc-kilifi":
        assert "Mombasa" not in page_text and "Mombasa" not in " ".join(table["County"])


def test_monitor_page_never_shows_a_small_count(app_on):
    at = _signed_in(app_on, "demo-monitor")
    table = at.dataframe[0].value
    counts = pl.Series(table["Cases reported"]).to_list()
    numeric = [int(c) for c in map(str, counts) if c.isdigit()]
    assert not [n for n in numeric if 1 <= n <= 10]
    for value in _metrics(at).values():
        digits = value.replace(",", "")
        assert not (digits.isdigit() and 1 <= int(digits) <= 10)


def test_disabled_user_is_signed_out_at_the_next_click(app_on):
    at = _signed_in(app_on, "demo-cuc-kwale")
    assert at.metric
    with app_on.begin() as conn:
        users.set_active(conn, "demo-cuc-kwale", False)
    try:
        at.run()
        assert not at.metric
        assert any("disabled" in e.value for e in at.error)
    finally:
        with app_on.begin() as conn:
            users.set_active(conn, "demo-cuc-kwale", True)


def test_role_change_takes_effect_at_the_next_click(app_on):
    at = _signed_in(app_on, "demo-cuc-kilifi")
    with app_on.begin() as conn:
        users.set_role(conn, "demo-cuc-kilifi", "cuc_member", ("002",))
    try:
        at.run()
        assert set(at.dataframe[0].value["County"]) == {"Kwale"}
    finally:
        with app_on.begin() as conn:
            users.set_role(conn, "demo-cuc-kilifi", "cuc_member", ("003",))


def test_tampered_county_filter_never_yields_a_mombasa_figure(app_on):
    at = _signed_in(app_on, "demo-cuc-kilifi")
    at.session_state["filter_counties"] = ["001"]
    at.run()
    shown = " ".join(str(e.value) for e in at.markdown) + " ".join(m.value for m in at.metric)
    assert "Mombasa" not in shown
    tables = [d.value for d in at.dataframe]
    assert all("Mombasa" not in set(t.get("County", [])) for t in tables)


def test_production_warehouse_without_secrets_refuses_to_start(tmp_path, monkeypatch):
    from warehouse.engine import get_engine
    from warehouse.migrate import init_warehouse

    url = "sqlite:///" + str(tmp_path / "real.db")
    init_warehouse(get_engine(url))
    monkeypatch.setenv("HAKI_WAREHOUSE_URL", url)
    monkeypatch.setenv("HAKI_SECRETS_FILE", str(tmp_path / "none.toml"))
    monkeypatch.delenv("HAKI_COOKIE_KEY", raising=False)
    monkeypatch.delenv("HAKI_PSEUDONYM_KEY", raising=False)
    ui_runtime._build.clear()
    try:
        at = AppTest.from_file("../../app.py", default_timeout=60)
        at.run()
        errors = " ".join(e.value for e in at.error)
        assert "HAKI_COOKIE_KEY is not set" in errors and "HAKI_PSEUDONYM_KEY is not set" in errors
        assert not at.text_input  # no sign-in form, no banner, nothing else
        assert not at.warning
    finally:
        ui_runtime._build.clear()
