"""Reference data: the 47 counties, sub-counties and court stations in warehouse/refdata.

Facts and their sources are in warehouse/refdata/SOURCES.md.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from warehouse.reference import (
    REFDATA,
    county_rows,
    court_station_rows,
    sub_county_rows,
    sync_reference,
)
from warehouse.schema import counties, court_stations, sub_counties

# KNBS, 2019 Kenya Population and Housing Census, Volume I: the 47
# county totals add up to exactly the published national total, 47,564,296
# (23,548,056 male + 24,014,716 female + 1,524 intersex). Checked: the per-county
# figures in counties.csv sum to this same number, with no residual.
CENSUS_2019_TOTAL = 47_564_296

# Kenya's bounding box, generously rounded (Lake Victoria islands to Mandera,
# Lake Turkana's north shore to Vanga).
LAT_RANGE = (-4.8, 5.1)
LON_RANGE = (33.9, 42.0)


@pytest.fixture(scope="module")
def by_code() -> dict[str, dict]:
    return {r["code"]: r for r in county_rows()}


@pytest.fixture(scope="module")
def by_name() -> dict[str, dict]:
    return {r["name"]: r for r in county_rows()}


# --- counties --------------------------------------------------------------


def test_exactly_47_counties_coded_001_to_047_once_each():
    codes = [r["code"] for r in county_rows()]
    assert len(codes) == 47
    assert sorted(codes) == [f"{i:03d}" for i in range(1, 48)]
    assert all(re.fullmatch(r"\d{3}", c) for c in codes)


def test_county_names_unique_and_tidy():
    names = [r["name"] for r in county_rows()]
    assert len(set(names)) == 47
    assert len({n.casefold() for n in names}) == 47
    for n in names:
        assert n == n.strip() and "  " not in n and len(n) <= 40, n


def test_official_codes_of_the_programme_counties(by_code):
    assert by_code["001"]["name"] == "Mombasa"
    assert by_code["002"]["name"] == "Kwale"
    assert by_code["003"]["name"] == "Kilifi"


@pytest.mark.parametrize(
    "code,name",
    [
        ("004", "Tana River"),
        ("005", "Lamu"),
        ("006", "Taita-Taveta"),
        ("013", "Tharaka-Nithi"),
        ("021", "Murang'a"),
        ("024", "West Pokot"),
        ("026", "Trans Nzoia"),
        ("027", "Uasin Gishu"),
        ("028", "Elgeyo-Marakwet"),
        ("043", "Homa Bay"),
        ("047", "Nairobi"),
    ],
)
def test_county_names_and_codes(by_code, code, name):
    # First Schedule order and spelling, with the project's forms for the three
    # names the Schedule writes differently ("Taita/Taveta", "Elgeyo/Marakwet",
    # "Nairobi City"): see SOURCES.md.
    assert by_code[code]["name"] == name


def test_populations_sum_to_the_2019_census_total():
    assert sum(r["population_2019"] for r in county_rows()) == CENSUS_2019_TOTAL


@pytest.mark.parametrize(
    "name,population",
    [
        ("Nairobi", 4_397_073),
        ("Mombasa", 1_208_333),
        ("Kwale", 866_820),
        ("Kilifi", 1_453_787),
        ("Lamu", 143_920),
        ("Kiambu", 2_417_735),
        ("Nakuru", 2_162_202),
    ],
)
def test_known_2019_county_populations(by_name, name, population):
    assert by_name[name]["population_2019"] == population


def test_population_ranking(by_name):
    pops = {n: r["population_2019"] for n, r in by_name.items()}
    assert max(pops, key=pops.get) == "Nairobi"
    assert min(pops, key=pops.get) == "Lamu"
    assert all(100_000 < p < 5_000_000 for p in pops.values())


def test_centroids_inside_kenya_and_distinct():
    points = set()
    for r in county_rows():
        assert LAT_RANGE[0] <= r["latitude"] <= LAT_RANGE[1], r
        assert LON_RANGE[0] <= r["longitude"] <= LON_RANGE[1], r
        points.add((r["latitude"], r["longitude"]))
    assert len(points) == 47


def test_centroids_have_four_decimals():
    text = (REFDATA / "counties.csv").read_text(encoding="utf-8").splitlines()
    for line in text[1:]:
        lat, lon = line.rsplit(",", 2)[1:]
        assert re.fullmatch(r"-?\d+\.\d{4}", lat) and re.fullmatch(r"-?\d+\.\d{4}", lon), line


def test_centroids_sit_where_the_map_says(by_name):
    lat = {n: r["latitude"] for n, r in by_name.items()}
    lon = {n: r["longitude"] for n, r in by_name.items()}
    # The coast: Mombasa lies east of Kwale's hinterland, Kilifi north of both.
    assert lon["Mombasa"] > lon["Kwale"]
    assert lat["Kilifi"] > lat["Mombasa"] and lat["Kilifi"] > lat["Kwale"]
    assert lat["Kwale"] < -3.5 and lat["Mombasa"] < -3.5  # the southern coast
    # Mombasa's centroid is within ~10 km of the island; Nairobi's of the CBD.
    assert abs(lat["Mombasa"] + 4.04) < 0.1 and abs(lon["Mombasa"] - 39.67) < 0.1
    assert abs(lat["Nairobi"] + 1.29) < 0.1 and abs(lon["Nairobi"] - 36.82) < 0.1
    # Mandera is the north-eastern corner; Turkana the north-west.
    assert max(lon, key=lon.get) == "Mandera"
    assert lat["Turkana"] > 2.5 and lon["Turkana"] < 36.0
    # Lake Victoria counties are west of the Rift; the coast is east of 38 deg E.
    for n in ("Busia", "Siaya", "Kisumu", "Homa Bay", "Migori"):
        assert lon[n] < 35.0, n
    for n in ("Mombasa", "Kwale", "Kilifi", "Tana River", "Lamu", "Taita-Taveta"):
        assert lon[n] > 38.0, n
    # The arid north lies well north of the equator; Nairobi lies just south of it.
    for n in ("Turkana", "Marsabit", "Mandera", "Wajir", "Samburu", "West Pokot"):
        assert lat[n] > 1.0, n
    assert lat["Nairobi"] < 0


# --- sub-counties and court stations -------------------------------------------


def test_sub_counties_name_existing_counties_and_are_unique():
    codes = {r["code"] for r in county_rows()}
    rows = sub_county_rows()
    assert rows
    assert all(r["county_code"] in codes for r in rows), rows
    pairs = [(r["county_code"], r["name"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert all(r["name"] == r["name"].strip() and r["name"] for r in rows)


def test_programme_counties_sub_counties():
    got: dict[str, set[str]] = {}
    for r in sub_county_rows():
        got.setdefault(r["county_code"], set()).add(r["name"])
    assert got["001"] == {"Changamwe", "Jomvu", "Kisauni", "Likoni", "Mvita", "Nyali"}
    assert got["002"] == {"Kinango", "Lunga Lunga", "Matuga", "Msambweni"}
    assert got["003"] == {
        "Ganze",
        "Kaloleni",
        "Kilifi North",
        "Kilifi South",
        "Magarini",
        "Malindi",
        "Rabai",
    }


def test_court_stations_name_existing_counties_and_are_unique():
    codes = {r["code"] for r in county_rows()}
    rows = court_station_rows()
    assert rows
    assert all(r["county_code"] in codes for r in rows), rows
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))


# --- loading into a warehouse ----------------------------------------------------


def _counts(conn) -> tuple[int, int, int]:
    return tuple(
        conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in (counties, sub_counties, court_stations)
    )


def test_sync_reference_is_idempotent(empty_warehouse):
    expected = (len(county_rows()), len(sub_county_rows()), len(court_station_rows()))
    # The fixture's init_warehouse has already synced once; sync twice more.
    with empty_warehouse.connect() as conn:
        first = _counts(conn)
    for _ in range(2):
        with empty_warehouse.begin() as conn:
            sync_reference(conn)
    with empty_warehouse.connect() as conn:
        assert first == expected
        assert _counts(conn) == expected
        loaded = {r.code: r for r in conn.execute(select(counties))}
    for row in county_rows():
        assert dict(loaded[row["code"]]._mapping) == row


def test_sync_reference_corrects_a_changed_county(empty_warehouse):
    with empty_warehouse.begin() as conn:
        conn.execute(
            counties.update()
            .where(counties.c.code == "002")
            .values(population_2019=1, latitude=0.0)
        )
        sync_reference(conn)
    with empty_warehouse.connect() as conn:
        kwale = conn.execute(select(counties).where(counties.c.code == "002")).one()
    assert kwale.population_2019 == 866_820
    assert kwale.latitude == next(r["latitude"] for r in county_rows() if r["code"] == "002")
