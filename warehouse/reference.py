"""Reference data: counties, sub-counties and court stations, shipped as CSV in refdata/.

Sources are named in refdata/SOURCES.md. ``sync_reference`` is idempotent: it inserts what
is missing and corrects what changed, and never deletes (an admin may have added
court stations, and facts point at these rows).
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from sqlalchemy import Connection, select

from warehouse.schema import counties, court_stations, sub_counties

REFDATA = Path(__file__).resolve().parent / "refdata"

# Mombasa, Kwale, Kilifi: where the programme works. Cases elsewhere are few and are
# shown together as "Other counties" unless a reader picks such a county by name.
PROGRAMME_COUNTIES = ("001", "002", "003")


@functools.cache
def _rows(name: str) -> tuple[dict, ...]:
    with (REFDATA / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def county_rows() -> list[dict]:
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "population_2019": int(r["population_2019"]),
            "latitude": float(r["latitude"]),
            "longitude": float(r["longitude"]),
        }
        for r in _rows("counties")
    ]


def sub_county_rows() -> list[dict]:
    return [{"county_code": r["county_code"], "name": r["name"]} for r in _rows("sub_counties")]


def court_station_rows() -> list[dict]:
    return [{"name": r["name"], "county_code": r["county_code"]} for r in _rows("court_stations")]


def sync_reference(conn: Connection) -> None:
    existing = {r.code: r for r in conn.execute(select(counties))}
    for row in county_rows():
        if row["code"] not in existing:
            conn.execute(counties.insert().values(**row))
        elif dict(existing[row["code"]]._mapping) != row:
            conn.execute(counties.update().where(counties.c.code == row["code"]).values(**row))
    have_sub = {(r.county_code, r.name) for r in conn.execute(select(sub_counties))}
    new_sub = [r for r in sub_county_rows() if (r["county_code"], r["name"]) not in have_sub]
    if new_sub:
        conn.execute(sub_counties.insert(), new_sub)
    have_court = {r.name for r in conn.execute(select(court_stations.c.name))}
    new_court = [r for r in court_station_rows() if r["name"] not in have_court]
    if new_court:
        conn.execute(court_stations.insert(), new_court)
