"""The funnel and case progress pages as a CUC member and a project manager see them (through
the real sign-in form), against what ``manage.py export`` writes for the same choices; and
a monitor or admin who reaches either page gets no data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from streamlit.testing.v1 import AppTest

from metrics.words import days, percent
from startup.export import export
from tests.app.test_app import DEFAULT, TODAY, _signed_in
from tests.test_export import _settings
from warehouse.schema import counties

PAGES = {"funnel": "views/funnel.py", "progress": "views/progress.py"}


def _exported(engine, page, username) -> dict[str, list[dict]]:
    body = json.loads(export(_settings(engine), page=page, username=username,
                             start=DEFAULT["start"], end=DEFAULT["end"], as_of=TODAY))
    assert body["as_of"] == TODAY and body["period"] == {"start": DEFAULT["start"],
                                                         "end": DEFAULT["end"]}
    return {name: [dict(zip(t["columns"], r, strict=True)) for r in t["rows"]]
            for name, t in body["tables"].items()}


def _on_page(engine, username, page) -> AppTest:
    at = _signed_in(engine, username)
    at.switch_page(PAGES[page]).run()
    assert not at.exception, at.exception
    return at


def _column(table, name) -> list:
    return [str(v) for v in table[name]]


def _names(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(counties.select().with_only_columns(
            counties.c.code, counties.c.name)).all())


@pytest.mark.parametrize("username", ["demo-manager", "demo-cuc-kilifi"])
def test_the_funnel_page_shows_what_the_export_writes(app_on, username):
    at = _on_page(app_on, username, "funnel")
    assert at.title[0].value == "Prosecution funnel"
    assert at.radio(key="funnel_view").value == "Cohort"
    assert any("Cohort view" in c.value for c in at.caption)
    want = _exported(app_on, "funnel", username)
    funnel, exits, durations, pending, *breakdowns = [d.value for d in at.dataframe]
    assert _column(funnel, "Cases") == [str(r["cases"]) for r in want["funnel"]]
    assert _column(funnel, "Share of reported") == [
        percent(r["share_of_reported"]) for r in want["funnel"]]
    assert _column(funnel, "Of the stage before") == [
        percent(r["conversion"]) for r in want["funnel"]]
    assert _column(exits, "Cases") == [str(r["cases"]) for r in want["exits"]]
    assert _column(durations, "Median") == [days(r["median_days"]) for r in want["durations"]]
    assert _column(durations, "75th percentile") == [
        days(r["p75_days"]) for r in want["durations"]]
    assert _column(pending, "Cases still open") == [str(r["cases"]) for r in want["pending"]]
    assert _column(pending, "Median time at this stage") == [
        days(r["median_days_waiting"]) for r in want["pending"]]
    assert len(breakdowns) == 5
    names = _names(app_on)
    by_county = {names[r["value"]]: (r["reported"], r["charged"], r["convicted"])
                 for r in want["breakdown"] if r["dimension"] == "county"}
    shown = breakdowns[0]
    assert {row["County"]: (row["Reported"], row["Charged"], row["Convicted"])
            for _, row in shown.iterrows()} == by_county
    for table, dimension in zip(breakdowns[1:], ["offence", "victim_age_band", "victim_sex",
                                                 "referral_source"], strict=True):
        assert list(table["Reported"]) == [r["reported"] for r in want["breakdown"]
                                           if r["dimension"] == dimension]
    if username == "demo-cuc-kilifi":
        assert set(by_county) == {"Kilifi"}
        text = " ".join(c.value for c in at.caption) + " ".join(
            " ".join(map(str, d.value.to_numpy().ravel())) for d in at.dataframe)
        assert "Mombasa" not in text and "Kwale" not in text


@pytest.mark.parametrize("username", ["demo-manager", "demo-cuc-kilifi"])
def test_the_activity_view_shows_the_exported_activity_and_says_so(app_on, username):
    at = _on_page(app_on, username, "funnel")
    at.radio(key="funnel_view").set_value("Activity").run()
    assert not at.exception, at.exception
    assert any("Activity view" in c.value for c in at.caption)
    [table] = [d.value for d in at.dataframe]  # one chart, never mixed with the cohort
    want = _exported(app_on, "funnel", username)["activity"]
    assert list(table["Events in the period"]) == [r["events"] for r in want]


@pytest.mark.parametrize("username", ["demo-manager", "demo-cuc-kilifi"])
def test_the_progress_page_shows_what_the_export_writes(app_on, username):
    at = _on_page(app_on, username, "progress")
    assert at.title[0].value == "Case progress"
    want = _exported(app_on, "progress", username)
    months, ages, adjournments, reasons, stations, testimony, services = [
        d.value for d in at.dataframe]
    assert list(months["Cases open"]) == [r["pending"] for r in want["pending_by_month"]]
    assert len(months) == len(want["pending_by_month"])
    assert list(ages["Cases open"]) == [r["cases"] for r in want["pending_age"]]
    assert list(adjournments["Hearings"]) == [r["hearings"] for r in want["adjournments"]]
    assert _column(adjournments, "Adjournment rate") == [
        percent(r["adjournment_rate"]) for r in want["adjournments"]]
    assert list(reasons["Adjourned hearings"]) == [
        r["hearings"] for r in want["adjournment_reasons"]]
    assert sorted(zip(stations["Court station"], stations["Hearings"], strict=True)) == sorted(
        (r["court_station"], r["hearings"]) for r in want["adjournments_by_station"])
    assert _column(testimony, "Share of hearings with testimony") == [
        percent(r["share"]) for r in want["testimony"]]
    assert list(services["Survivors"]) == [r["survivors"] for r in want["services"]]
    [first] = want["time_to_service"]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Median time from report to first service"] == days(first["median_days"])
    assert f"{first['cases']:,}" in shown.values()
    if username == "demo-cuc-kilifi":
        stations_seen = set(stations["Court station"])
        assert stations_seen and not {s for s in stations_seen if "Mombasa" in s
                                      or "Kwale" in s or "Shanzu" in s or "Tononoka" in s}


def test_a_county_without_cases_gets_plain_sentences(app_on):
    at = _on_page(app_on, "demo-manager", "funnel")
    at.multiselect(key="filter_counties").set_value(["030"]).run()
    assert not at.exception, at.exception
    assert any("No cases were reported" in i.value for i in at.info)
    assert not at.dataframe
    at.switch_page(PAGES["progress"]).run()
    at.multiselect(key="filter_counties").set_value(["030"]).run()
    assert not at.exception, at.exception
    said = " ".join(i.value for i in at.info)
    assert "No case was open" in said and "No hearings were held" in said
    assert "No survivor received a service" in said


def test_the_csv_download_is_the_funnel_table(app_on, downloads):
    at = _on_page(app_on, "demo-cuc-kilifi", "funnel")
    table = at.dataframe[0].value
    # Download names carry the session's tag: funnel-cohort-<tag>.csv (ui.components).
    files = {name.rsplit("-", 1)[0]: data for name, data in downloads if name}
    rows = list(csv.reader(io.StringIO(files["funnel-cohort"].decode())))
    assert rows[0] == list(table.columns)
    assert rows[1:] == [[str(v) for v in r] for r in table.itertuples(index=False)]


@pytest.mark.parametrize("username", ["demo-monitor", "demo-admin"])
def test_monitors_and_admins_get_no_data(app_on, username):
    at = _signed_in(app_on, username)
    for page, script in PAGES.items():
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(script)  # not in their navigation at all
        # And the page itself refuses them, should they reach its script.
        direct = AppTest.from_file(f"../../{script}", default_timeout=60)
        direct.session_state["authentication_status"] = True
        direct.session_state["username"] = username
        direct.run()
        assert not direct.exception, direct.exception
        assert any("do not have access" in e.value for e in direct.error), page
        assert not direct.dataframe and not direct.metric and not direct.get("arrow_vega_lite_chart")


def test_a_manager_previewing_as_a_monitor_sees_no_data_here(app_on):
    at = _on_page(app_on, "demo-manager", "funnel")
    at.sidebar.toggle(key="preview_as_monitor").set_value(True).run()
    for page in PAGES:
        at.switch_page(PAGES[page]).run()
        assert not at.exception, at.exception
        assert any("A monitor does not see the page" in i.value for i in at.info), page
        assert not at.dataframe and not at.metric
