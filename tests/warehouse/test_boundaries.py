"""County boundary files: matching features to counties, saying what is wrong, and
``manage.py boundaries fetch`` against a local HTTP server (never the internet)."""

from __future__ import annotations

import copy
import http.server
import json
import os
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

import pytest
from shapely.geometry import shape

from tests.boundary_fixture import collection, write
from warehouse import boundary_fetch
from warehouse.boundaries import (
    FETCHED_PROPERTY,
    BoundaryError,
    county_of,
    read,
    shapes_for,
)
from warehouse.reference import county_rows

ALL = sorted(r["code"] for r in county_rows())
NAMES = {r["code"]: r["name"] for r in county_rows()}


@pytest.mark.parametrize(("value", "code"), [
    (1, "001"), ("01", "001"), ("047", "047"), ("Mombasa", "001"), ("TAITA TAVETA", "006"),
    ("Taita-Taveta County", "006"), ("Muranga", "021"), ("Murang'a", "021"),
    ("Nairobi City", "047"), ("Elgeyo Marakwet", "028"), ("Tharaka - Nithi", "013"),
    (48, None), (0, None), ("Atlantis", None), (None, None), (True, None), ("", None),
])
def test_a_property_value_names_a_county_by_code_or_name(value, code):
    assert county_of(value) == code


def test_a_good_file_gives_every_county_its_shape(tmp_path):
    path = write(tmp_path / "b.geojson", collection())
    shapes = shapes_for(path, "county_code", ALL)
    assert sorted(shapes) == ALL
    assert shapes["002"]["type"] == "Polygon"


def test_names_work_as_well_as_codes(tmp_path):
    path = write(tmp_path / "b.geojson", collection("shapeName", value=lambda r: r["name"]))
    assert sorted(shapes_for(path, "shapeName", ALL)) == ALL


def test_a_file_of_some_counties_serves_a_reader_of_those(tmp_path):
    path = write(tmp_path / "b.geojson", collection(codes={"001", "002", "003"}))
    assert sorted(shapes_for(path, "county_code", ["002"])) == ["002"]
    with pytest.raises(BoundaryError, match="no feature for: Lamu, Nairobi"):
        shapes_for(path, "county_code", ["002", "005", "047"])


def test_mismatched_features_are_named(tmp_path):
    data = collection()
    data["features"][3]["properties"]["county_code"] = "Atlantis"
    data["features"][4]["properties"]["county_code"] = "001"  # Mombasa twice
    path = write(tmp_path / "b.geojson", data)
    with pytest.raises(BoundaryError) as err:
        shapes_for(path, "county_code", ALL)
    message = str(err.value)
    assert "naming no Kenyan county: 'Atlantis'" in message
    assert "more than one feature: Mombasa" in message
    assert "no feature for: Tana River, Lamu" in message


def test_a_missing_property_lists_the_ones_there(tmp_path):
    path = write(tmp_path / "b.geojson", collection("ADM1_EN", value=lambda r: r["name"]))
    with pytest.raises(BoundaryError, match=r"'county_code'.*HAKI_BOUNDARY_PROPERTY.*ADM1_EN"):
        shapes_for(path, "county_code", ALL)


def test_invalid_geometry_is_named(tmp_path):
    data = collection()
    bowtie = [[39.0, -4.0], [39.2, -4.2], [39.2, -4.0], [39.0, -4.2], [39.0, -4.0]]
    data["features"][1]["geometry"] = {"type": "Polygon", "coordinates": [bowtie]}
    data["features"][2]["geometry"] = {"type": "Point", "coordinates": [39.0, -3.0]}
    path = write(tmp_path / "b.geojson", data)
    with pytest.raises(BoundaryError, match="not a valid polygon: Kwale, Kilifi"):
        shapes_for(path, "county_code", ALL)


@pytest.mark.parametrize(("body", "message"), [
    (b"{not json", "not valid JSON"),
    (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    (b'{"type": "FeatureCollection", "features": []}', "has no features"),
    (b"\xff\xfe", "not valid JSON"),
])
def test_malformed_files_say_why(tmp_path, body, message):
    path = tmp_path / "b.geojson"
    path.write_bytes(body)
    with pytest.raises(BoundaryError, match=message):
        read(path)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(BoundaryError, match="cannot be read"):
        read(tmp_path / "nowhere.geojson")


# --- manage.py boundaries fetch, against a server on loopback ---------------------------

@pytest.fixture
def served(tmp_path):
    """Serves the files put in a folder at http://127.0.0.1:PORT/NAME."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _vertices(data):
    return sum(len(ring) for f in data["features"] for ring in f["geometry"]["coordinates"])


def test_fetch_downloads_checks_simplifies_and_writes_once(served, tmp_path):
    root, base = served
    source = collection("shapeName", value=lambda r: r["name"], vertices=400)
    write(root / "adm1.geojson", source)
    dest = tmp_path / "data" / "kenya-counties.geojson"
    said = []
    assert boundary_fetch.fetch(dest, url=f"{base}/adm1.geojson", say=said.append)
    written = json.loads(dest.read_text())
    assert [f["properties"][FETCHED_PROPERTY] for f in written["features"]] == ALL
    assert [f["properties"]["county"] for f in written["features"]] == [NAMES[c] for c in ALL]
    assert written["haki"]["property"] == "shapeName"
    assert written["haki"]["source"] == f"{base}/adm1.geojson"
    assert _vertices(written) < _vertices(source) / 4
    by_code = {f["properties"][FETCHED_PROPERTY]: shape(f["geometry"])
               for f in written["features"]}
    for feature in source["features"]:
        original = shape(feature["geometry"])
        code = county_of(feature["properties"]["shapeName"])
        simplified = by_code[code]
        assert simplified.is_valid
        assert simplified.symmetric_difference(original).area < 0.1 * original.area
    assert sorted(shapes_for(dest, FETCHED_PROPERTY, ALL)) == ALL
    assert any("wrote" in s for s in said)
    # Once: a second run leaves the file alone unless told to replace it.
    (root / "adm1.geojson").unlink()
    assert not boundary_fetch.fetch(dest, url=f"{base}/adm1.geojson", say=said.append)
    assert "already there" in said[-1]


def test_fetch_repairs_crossing_rings_and_says_so(served, tmp_path):
    root, base = served
    data = collection()
    bowtie = [[39.0, -4.0], [39.2, -4.2], [39.2, -4.0], [39.0, -4.2], [39.0, -4.0]]
    data["features"][1]["geometry"] = {"type": "Polygon", "coordinates": [bowtie]}
    write(root / "adm1.geojson", data)
    said = []
    dest = tmp_path / "out.geojson"
    boundary_fetch.fetch(dest, url=f"{base}/adm1.geojson", prop="county_code", say=said.append)
    assert "repaired crossing rings in: Kwale" in said[0]
    kwale = next(f for f in json.loads(dest.read_text())["features"]
                 if f["properties"]["county_code"] == "002")
    assert shape(kwale["geometry"]).is_valid


def _broken(kind):
    data = collection()
    if kind == "46 features":
        data["features"].pop()
    elif kind == "unknown name":
        data["features"][0]["properties"]["county_code"] = "Atlantis"
    elif kind == "a line":
        data["features"][5]["geometry"] = {"type": "LineString",
                                           "coordinates": [[39, -4], [40, -3]]}
    return data


@pytest.mark.parametrize(("kind", "message"), [
    ("46 features", "it has 46 features; Kenya has 47 counties"),
    ("unknown name", "naming no county: 'Atlantis'"),
    ("a line", "without a valid polygon: Taita-Taveta"),
])
def test_fetch_refuses_a_bad_file_and_writes_nothing(served, tmp_path, kind, message):
    root, base = served
    write(root / "adm1.geojson", _broken(kind))
    dest = tmp_path / "out.geojson"
    with pytest.raises(BoundaryError, match=message):
        boundary_fetch.fetch(dest, url=f"{base}/adm1.geojson", prop="county_code")
    assert not dest.exists() and not list(tmp_path.glob("*.partial"))


def test_a_refused_fetch_keeps_the_old_file(served, tmp_path):
    root, base = served
    dest = write(tmp_path / "out.geojson", {"old": True})
    write(root / "adm1.geojson", _broken("46 features"))
    with pytest.raises(BoundaryError):
        boundary_fetch.fetch(dest, url=f"{base}/adm1.geojson", force=True)
    assert json.loads(dest.read_text()) == {"old": True}


@pytest.mark.parametrize(("path", "message"), [
    ("/missing.geojson", "HTTP 404"),
    ("/junk.txt", "not valid JSON"),
])
def test_download_problems_are_plain(served, tmp_path, path, message):
    root, base = served
    (root / "junk.txt").write_text("<html>not here</html>")
    with pytest.raises(BoundaryError, match=message):
        boundary_fetch.fetch(tmp_path / "out.geojson", url=base + path)


def test_only_http_urls_are_fetched(tmp_path):
    source = write(tmp_path / "local.geojson", collection())
    with pytest.raises(BoundaryError, match="not an http"):
        boundary_fetch.fetch(tmp_path / "out.geojson", url=source.as_uri())


def test_the_property_is_found_when_not_given():
    data = collection("ADM1_EN", value=lambda r: r["name"])
    for f in data["features"]:
        f["properties"]["ADM1_PCODE"] = "KE" + f["properties"]["ADM1_EN"][:3]
    assert boundary_fetch.guess_property(copy.deepcopy(data)) == "ADM1_EN"


def _manage(*args, cwd):
    env = {**os.environ, "HAKI_SECRETS_FILE": "/nonexistent"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_command_fetches_and_exits_1_with_the_reason(served, tmp_path):
    root, base = served
    project = Path(__file__).resolve().parents[2]
    write(root / "good.geojson", collection("shapeName", value=lambda r: r["name"]))
    write(root / "bad.geojson", _broken("46 features"))
    out = tmp_path / "counties.geojson"
    ok = _manage("boundaries", "fetch", "--url", f"{base}/good.geojson", "--out", str(out),
                 cwd=project)
    assert ok.returncode == 0, ok.stderr
    assert "HAKI_BOUNDARY_FILE=" in ok.stdout and out.exists()
    bad = _manage("boundaries", "fetch", "--url", f"{base}/bad.geojson", "--out",
                  str(tmp_path / "bad.geojson"), cwd=project)
    assert bad.returncode == 1 and "46 features" in bad.stderr
    assert not (tmp_path / "bad.geojson").exists()
