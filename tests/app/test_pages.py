"""The map, training and outreach pages as a CUC member and a manager see them, driven with
AppTest: each shows what ``manage.py export`` writes for that reader, and nothing outside
their counties."""

# ruff: noqa: F811  (app_on is a fixture imported from test_app)
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from startup.export import export
from tests.app.test_app import DEFAULT, TODAY, _signed_in, app_on  # noqa: F401 (fixture)
from tests.boundary_fixture import collection, write
from tests.test_export import _settings
from warehouse.reference import county_rows
from warehouse.vocab import label

NAMES = {r["code"]: r["name"] for r in county_rows()}


def _exported(engine, username, page) -> dict:
    body = json.loads(export(_settings(engine), page=page, username=username,
                             start=DEFAULT["start"], end=DEFAULT["end"], as_of=TODAY))
    return {name: [dict(zip(t["columns"], row, strict=True)) for row in t["rows"]]
            for name, t in body["tables"].items()}


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _deck(at: AppTest) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _county_layer(spec: dict) -> dict:
    return next(layer for layer in spec["layers"] if layer["id"] == "counties")


def _objects(layer: dict) -> list[dict]:
    if layer["@@type"] == "GeoJsonLayer":
        return [f["properties"] for f in layer["data"]["features"]]
    return layer["data"]


def _number(text: str) -> float:
    return float(str(text).replace(",", "").split(" ")[0].rstrip("%"))


READERS = ["demo-manager", "demo-cuc-kwale"]


@pytest.mark.parametrize("username", READERS)
def test_the_map_shows_what_the_export_writes(app_on, username):
    at = _open(_signed_in(app_on, username), "map")
    assert at.title[0].value == "County map"
    rows = _exported(app_on, username, "map")["counties"]
    table = at.dataframe[0].value
    assert list(table["County"]) == [r["county"] for r in rows]
    assert list(table["Cases reported"]) == [r["cases_reported"] for r in rows]
    assert list(table["People trained"]) == [r["people_trained"] for r in rows]
    assert list(table["Cases per 100,000 residents"]) == [
        round(r["cases_per_100k"], 2) for r in rows]
    layer = _county_layer(_deck(at))
    tooltips = {o["county"]: o["words"] for o in _objects(layer)}
    assert tooltips == {r["county"]: f"{r['cases_reported']:,}" for r in rows}
    if username == "demo-cuc-kwale":
        assert [r["county"] for r in rows] == ["Kwale"]
        text = json.dumps(_deck(at))
        assert "Mombasa" not in text and "Kilifi" not in text


@pytest.mark.parametrize("username", READERS)
def test_each_measure_of_the_map_matches_the_export(app_on, username):
    at = _open(_signed_in(app_on, username), "map")
    rows = {r["county"]: r for r in _exported(app_on, username, "map")["counties"]}
    for measure in ("conviction_rate", "cases_per_100k", "hotline_reports"):
        at.selectbox(key="map_measure").set_value(measure).run()
        for o in _objects(_county_layer(_deck(at))):
            want = rows[o["county"]][measure]
            assert o["measure"] == at.selectbox(key="map_measure").format_func(measure)
            if want is None:
                assert o["words"] == "no decisions in the period"
            elif measure == "conviction_rate":
                assert _number(o["words"]) == pytest.approx(want * 100, abs=0.05)
            else:
                assert _number(o["words"]) == pytest.approx(want, abs=0.005)


def test_a_boundary_file_draws_polygons_for_the_readers_counties_only(app_on, monkeypatch,
                                                                      tmp_path):
    monkeypatch.setenv("HAKI_BOUNDARY_FILE", str(write(tmp_path / "b.geojson", collection())))
    at = _open(_signed_in(app_on, "demo-cuc-kwale"), "map")
    layer = _county_layer(_deck(at))
    assert layer["@@type"] == "GeoJsonLayer"
    assert [f["properties"]["county"] for f in layer["data"]["features"]] == ["Kwale"]
    assert not at.warning or all("boundary" not in w.value for w in at.warning)


def test_a_bad_boundary_file_is_named_and_the_map_falls_back(app_on, monkeypatch,
                                                             tmp_path):
    data = collection(codes={"001", "003"})
    data["features"][0]["properties"]["county_code"] = "Atlantis"
    monkeypatch.setenv("HAKI_BOUNDARY_FILE", str(write(tmp_path / "b.geojson", data)))
    at = _open(_signed_in(app_on, "demo-manager"), "map")
    assert any("boundary file could not be used" in w.value for w in at.warning)
    details = " ".join(t.value for t in at.text)
    assert "'Atlantis'" in details and "no feature for: Mombasa, Kwale, Tana River" in details
    assert _county_layer(_deck(at))["@@type"] == "ScatterplotLayer"


def _words(code):
    return label(code)


@pytest.mark.parametrize("username", READERS)
def test_the_training_page_shows_what_the_export_writes(app_on, username):
    at = _open(_signed_in(app_on, username), "training")
    assert at.title[0].value == "Training coverage"
    tables = _exported(app_on, username, "training")
    trained, coverage, learning = (at.dataframe[i].value for i in range(3))
    assert sorted(zip(trained["County"], trained["Cadre"], trained["Delivery"], trained["Sex"],
                      trained["People"], strict=True)) == sorted(
        (NAMES[r["county_code"]], _words(r["cadre"]), _words(r["delivery"]),
         _words(r["participant_sex"]), r["people"]) for r in tables["trained"])
    assert sorted(zip(coverage["County"], coverage["Cadre"],
                      coverage["People trained (to date)"], coverage["Headcount"],
                      strict=True)) == sorted(
        (NAMES[r["county_code"]], _words(r["cadre"]), r["trained"], r["headcount"])
        for r in tables["coverage"])
    assert list(coverage["Coverage (%)"]) == [
        None if r["coverage"] is None else round(r["coverage"] * 100, 1)
        for r in sorted(tables["coverage"], key=lambda r: (r["county_code"], r["cadre"]))]
    assert sorted(zip(learning["Course"], learning["Cadre"], learning["Training rows"],
                      learning["With both scores"], learning["Only one score"],
                      strict=True)) == sorted(
        (_words(r["course"]), _words(r["cadre"]), r["sessions"], r["with_both_scores"],
         r["only_one_score"]) for r in tables["learning"])
    if username == "demo-cuc-kwale":
        for frame in (trained, coverage):
            assert set(frame["County"]) == {"Kwale"}


@pytest.mark.parametrize("username", READERS)
def test_the_outreach_page_shows_what_the_export_writes(app_on, username):
    at = _open(_signed_in(app_on, username), "outreach")
    assert at.title[0].value == "Outreach and referrals"
    tables = _exported(app_on, username, "outreach")
    frames = {tuple(d.value.columns): d.value for d in at.dataframe}
    audience = frames[("Audience", "Sessions", "Female participants", "Male participants")]
    totals = {}
    for r in tables["sessions"]:
        n, f, m = totals.get(r["audience"], (0, 0, 0))
        totals[r["audience"]] = (n + r["sessions"], f + r["participants_female"],
                                 m + r["participants_male"])
    assert {a: (n, f, m) for a, n, f, m in audience.itertuples(index=False)} == {
        _words(k): v for k, v in totals.items()}
    hotline = frames[("County", "Category", "Channel", "Referred to", "Reports",
                      "Became a case")]
    assert sorted(map(tuple, hotline.itertuples(index=False))) == sorted(
        (NAMES[r["county_code"]], _words(r["category"]), _words(r["channel"]),
         _words(r["referred_to"]), r["reports"], r["linked_to_case"])
        for r in tables["hotline"])
    monthly = frames[("Month", "County", "Outreach participants", "Hotline reports",
                      "Cases reported")]
    assert sorted(zip(monthly["County"], monthly["Outreach participants"],
                      monthly["Hotline reports"], monthly["Cases reported"], strict=True)) == \
        sorted((NAMES[r["county_code"]], r["outreach_participants"], r["hotline_reports"],
                r["cases_reported"]) for r in tables["monthly"])
    serious = [r for r in tables["hotline"]
               if r["category"] in ("child_trafficking", "sexual_exploitation")]
    cards = {m.label: m.value for m in at.metric}
    assert cards["Trafficking and exploitation reports"] == f"{sum(r['reports'] for r in serious):,}"
    linked = sum(r["linked_to_case"] for r in serious)
    assert cards["Became cases"].startswith(f"{linked:,} (")
    if username == "demo-cuc-kwale":
        assert set(hotline["County"]) == {"Kwale"} and set(monthly["County"]) == {"Kwale"}


@pytest.mark.parametrize("username", ["demo-monitor", "demo-admin"])
def test_summaries_only_readers_are_not_offered_the_pages(app_on, username):
    at = _signed_in(app_on, username)
    for page in ("map", "training", "outreach"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"views/{page}.py")


@pytest.mark.parametrize("username", ["demo-monitor", "demo-admin"])
@pytest.mark.parametrize("page", ["map", "training", "outreach"])
def test_a_page_run_directly_refuses_them_and_shows_no_data(app_on, username,
                                                            page):
    """The second wall: the page script itself checks its reader, as if navigation had
    been bypassed."""
    at = AppTest.from_file(f"../../views/{page}.py", default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.run()
    assert [e.value for e in at.error] == [
        f"You do not have access to the page '{TITLES[page]}'."]
    assert not at.title and not at.dataframe and not at.get("deck_gl_json_chart")


TITLES = {"map": "County map", "training": "Training coverage",
          "outreach": "Outreach and referrals"}


def test_a_page_run_directly_serves_a_cuc_member_their_county(app_on):
    at = AppTest.from_file("../../views/map.py", default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "demo-cuc-kwale"
    at.run()
    assert not at.exception and at.title[0].value == "County map"
    assert list(at.dataframe[0].value["County"]) == ["Kwale"]


def test_a_manager_previewing_as_a_monitor_sees_no_data_here(app_on):
    at = _open(_signed_in(app_on, "demo-manager"), "map")
    at.sidebar.toggle(key="preview_as_monitor").set_value(True).run()
    for page in ("map", "training", "outreach"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        assert any("A monitor does not see the page" in i.value for i in at.info), page
        assert not at.dataframe and not at.metric and not at.get("deck_gl_json_chart")
