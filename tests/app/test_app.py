"""The app as each role sees it, driven through the real sign-in form with AppTest.

"Today" is pinned to the day the shared demo warehouse's data ends (HAKI_TODAY), so the
page's default period never moves with the calendar.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from auth import users
from startup.demo_accounts import listed
from startup.export import export
from tests.conftest import DEMO_UNTIL
from tests.test_export import _settings
from ui import runtime as ui_runtime
from warehouse.schema import audit_log

TODAY = DEMO_UNTIL.isoformat()
# The page's default period on that day: the last four quarters, the running one to date.
DEFAULT = {"start": "2026-01-01", "end": TODAY, "as_of": TODAY}


@pytest.fixture
def app_on(demo_warehouse, monkeypatch, tmp_path):
    url = demo_warehouse.url.render_as_string(hide_password=False)
    monkeypatch.setenv("HAKI_WAREHOUSE_URL", url)
    monkeypatch.setenv("HAKI_SECRETS_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("HAKI_TODAY", TODAY)
    ui_runtime.clear()
    yield demo_warehouse
    ui_runtime.clear()


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
    # The sign-in run draws the cookie component and stops; in a browser the component's
    # report starts the next run, which shows the pages. AppTest has no browser: run again.
    assert "Signing in…" in [i.value for i in at.info]
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _exported(engine, username) -> dict:
    if username in ("demo-monitor", "demo-admin"):  # the newest completed quarter, all counties
        return json.loads(export(_settings(engine), page="overview", username=username,
                                 period="2026-Q3", as_of=TODAY))
    return json.loads(export(_settings(engine), page="overview", username=username,
                             start=DEFAULT["start"], end=DEFAULT["end"], as_of=TODAY))


def test_sign_in_page_lists_demo_accounts_and_shows_the_banner(app_on):
    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.run()
    assert any("Synthetic demo data" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert set(table["Username"]) == {a["username"] for a in listed(app_on)}
    assert not at.metric  # nothing from the warehouse before signing in


LABELS = {"cases_reported": "Cases reported", "cases_charged": "Cases charged",
          "convictions": "Convictions", "survivors_served": "Survivors served",
          "people_trained": "People trained", "outreach_participants": "Outreach participants"}


@pytest.mark.parametrize("username", ["demo-manager", "demo-cuc-kilifi", "demo-cuc-kwale",
                                      "demo-monitor", "demo-admin"])
def test_page_and_export_show_the_same_figures(app_on, username):
    at = _signed_in(app_on, username)
    assert at.title[0].value == "Overview"
    body = _exported(app_on, username)
    shown = _metrics(at)
    for measure, current, _previous in body["tables"]["headline"]["rows"]:
        assert shown[LABELS[measure]] == ("Withheld" if current is None else f"{current:,}")
    table = at.dataframe[0].value  # the trend's data table
    trend = body["tables"]["trend"]["rows"]
    assert len(table) == len(trend)
    page_counts = sorted(zip(table["County"], map(str, table["Cases reported"]), strict=True))
    export_counts = sorted((county, "withheld" if n is None else str(n))
                           for _, _, county, n in trend)
    assert [c for c, _ in page_counts] == [c for c, _ in export_counts]
    assert [n for _, n in page_counts if not n.startswith("withheld")] == [
        n for _, n in export_counts if not n.startswith("withheld")]
    if username.startswith("demo-cuc"):
        county = "Kilifi" if username.endswith("kilifi") else "Kwale"
        assert set(table["County"]) == {county}
        page_text = " ".join(c.value for c in at.caption) + " ".join(str(t.value) for t in at.text)
        assert "Mombasa" not in page_text


def test_summaries_only_readers_get_quarters_and_never_a_small_count(app_on):
    at = _signed_in(app_on, "demo-monitor")
    table = at.dataframe[0].value
    assert "Quarter" in table.columns and "Month" not in table.columns
    numeric = [int(c) for c in map(str, table["Cases reported"]) if c.isdigit()]
    assert not [n for n in numeric if 1 <= n <= 10]
    for value in _metrics(at).values():
        digits = value.replace(",", "")
        assert not (digits.isdigit() and 1 <= int(digits) <= 10)
    manager = _signed_in(app_on, "demo-manager")
    assert "Month" in manager.dataframe[0].value.columns


def test_a_cuc_member_is_offered_only_their_counties(app_on):
    at = _signed_in(app_on, "demo-cuc-kwale")
    assert at.multiselect(key="filter_counties").options == ["Kwale"]
    manager = _signed_in(app_on, "demo-manager")
    assert len(manager.multiselect(key="filter_counties").options) == 47


@pytest.fixture
def downloads(monkeypatch):
    """Every file a page offers for download, as the media manager receives it."""
    seen = []
    real = MediaFileManager.add

    def spy(self, path_or_data, mimetype, coordinates, file_name=None, *args, **kwargs):
        seen.append((file_name, path_or_data))
        return real(self, path_or_data, mimetype, coordinates, file_name, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", spy)
    return seen


@pytest.mark.parametrize("username", ["demo-monitor", "demo-cuc-kilifi"])
def test_the_csv_download_is_the_table_on_the_page(app_on, downloads, username):
    at = _signed_in(app_on, username)
    table = at.dataframe[0].value
    files = [data for name, data in downloads if name and name.endswith(".csv")]
    assert files, "the chart panel offers its data as CSV"
    rows = list(csv.reader(io.StringIO(files[-1].decode())))
    assert rows[0] == list(table.columns)
    assert rows[1:] == [[str(v) for v in r] for r in table.itertuples(index=False)]
    if username == "demo-monitor":
        assert any(v.startswith("withheld") for r in rows for v in r)


def test_sign_in_and_sign_out_are_audited(app_on):
    def actions():
        with app_on.connect() as conn:
            return [r.action for r in conn.execute(
                select(audit_log).where(audit_log.c.username == "demo-cuc-kwale")
                .order_by(audit_log.c.id))]

    before = actions()
    at = _signed_in(app_on, "demo-cuc-kwale")
    assert actions()[len(before):] == ["login", "page_view"]
    at.run()  # a rerun with the same choices is no new view
    assert actions()[len(before):] == ["login", "page_view"]
    at.sidebar.button(key="haki_sign_out").click()
    at.run()
    assert actions()[len(before):] == ["login", "page_view", "logout"]
    assert not at.metric


def test_a_display_name_is_shown_as_plain_text(app_on):
    trap = "**x** :red[y] ![i](http://198.51.100.7/i.png) <b>z</b>"
    with app_on.begin() as conn:
        conn.execute(users.users.update().where(users.users.c.username == "demo-manager")
                     .values(display_name=trap))
    try:
        at = _signed_in(app_on, "demo-manager")
        assert trap in [t.value for t in at.sidebar.text]
        assert not [m for m in at.markdown if "198.51.100.7" in m.value]
    finally:
        with app_on.begin() as conn:
            conn.execute(users.users.update().where(users.users.c.username == "demo-manager")
                         .values(display_name="Demo project manager"))


def test_disabled_user_is_signed_out_at_the_next_click(app_on):
    at = _signed_in(app_on, "demo-cuc-kwale")
    assert at.metric
    with app_on.begin() as conn:
        users.set_active(conn, "demo-cuc-kwale", False)
    try:
        at.run()
        assert not at.metric
        assert any("account was disabled" in i.value for i in at.info)
        assert at.text_input  # the sign-in form
    finally:
        with app_on.begin() as conn:
            users.set_active(conn, "demo-cuc-kwale", True)


def test_role_change_signs_out_at_the_next_click_and_applies_at_the_next_sign_in(app_on):
    at = _signed_in(app_on, "demo-cuc-kilifi")
    with app_on.begin() as conn:
        users.set_role(conn, "demo-cuc-kilifi", "cuc_member", ("002",))
    try:
        at.run()
        assert not at.metric
        assert any("role or counties changed" in i.value for i in at.info)
        again = _signed_in(app_on, "demo-cuc-kilifi")
        assert set(again.dataframe[0].value["County"]) == {"Kwale"}
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
    ui_runtime.clear()
    try:
        at = AppTest.from_file("../../app.py", default_timeout=60)
        at.run()
        errors = " ".join(e.value for e in at.error)
        assert "HAKI_COOKIE_KEY is not set" in errors and "HAKI_PSEUDONYM_KEY is not set" in errors
        assert not at.text_input  # no sign-in form, no banner, nothing else
        assert not at.warning
    finally:
        ui_runtime.clear()


def test_a_warehouse_that_is_not_demo_lists_no_accounts(tmp_path, monkeypatch):
    from warehouse.engine import get_engine
    from warehouse.migrate import init_warehouse

    url = "sqlite:///" + str(tmp_path / "real.db")
    init_warehouse(get_engine(url))
    monkeypatch.setenv("HAKI_WAREHOUSE_URL", url)
    monkeypatch.setenv("HAKI_SECRETS_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("HAKI_COOKIE_KEY", "c" * 40)
    monkeypatch.setenv("HAKI_PSEUDONYM_KEY", "p" * 40)
    ui_runtime.clear()
    try:
        at = AppTest.from_file("../../app.py", default_timeout=60)
        at.run()
        assert at.text_input  # the sign-in form
        assert not at.dataframe and not at.warning  # no account list, no demo banner
    finally:
        ui_runtime.clear()


def test_a_manager_previews_the_page_as_a_monitor_sees_it(app_on):
    at = _signed_in(app_on, "demo-manager")
    at.sidebar.toggle(key="preview_as_monitor").set_value(True)
    at.run()
    assert any("as a State Department monitor sees it" in i.value for i in at.info)
    monitor = _signed_in(app_on, "demo-monitor")
    assert _metrics(at) == _metrics(monitor)
    assert at.dataframe[0].value.equals(monitor.dataframe[0].value)
    at.sidebar.toggle(key="preview_as_monitor").set_value(False)
    at.run()
    assert "Month" in at.dataframe[0].value.columns
