"""One-off extraction of counties.csv from the ``kenya-data`` PyPI package (MIT).

NOT part of the app: nothing imports this file, and the app does not depend on
``kenya-data`` at run time. It reads the SQLite file the wheel ships
(``kenya_data/kenya.db``) with the standard library only. See SOURCES.md.

    pip download --no-deps -d /tmp/kd kenya-data==0.1.2
    python warehouse/refdata/extract_kenya_data.py /tmp/kd/kenya_data-0.1.2-py3-none-any.whl

By default it rewrites counties.csv beside this file; ``--check`` only compares.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CENSUS_2019_TOTAL = 47_564_296  # KNBS 2019 KPHC Volume I, national total

QUERY = """
SELECT c.code, c.name, p.population, co.latitude, co.longitude
FROM counties c
JOIN population_statistics p
  ON p.entity_type = 'county' AND p.entity_id = c.id AND p.reference_year = 2019
JOIN coordinates co
  ON co.entity_type = 'county' AND co.entity_id = c.id
ORDER BY c.code
"""

# Constituency centroids with areas, to cross-check each county centroid against
# the area-weighted mean of its constituencies' centroids (admin2 vs admin1).
CROSS_CHECK = """
SELECT c.code, SUM(a.area_sq_km * co.latitude) / SUM(a.area_sq_km),
       SUM(a.area_sq_km * co.longitude) / SUM(a.area_sq_km)
FROM constituencies k
JOIN counties c ON c.id = k.county_id
JOIN coordinates co ON co.entity_type = 'constituency' AND co.entity_id = k.id
JOIN area_statistics a ON a.entity_type = 'constituency' AND a.entity_id = k.id
GROUP BY c.code
"""


def open_db(path: Path) -> sqlite3.Connection:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as whl:
            data = whl.read("kenya_data/kenya.db")
        tmp = Path(tempfile.mkdtemp()) / "kenya.db"
        tmp.write_bytes(data)
        path = tmp
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def extract(conn: sqlite3.Connection) -> list[tuple[str, str, int, str, str]]:
    rows = []
    for code, name, population, lat, lon in conn.execute(QUERY):
        assert code.startswith("KE") and len(code) == 5, code  # "KE001" -> "001"
        rows.append((code[2:], name, int(population), f"{lat:.4f}", f"{lon:.4f}"))
    assert [r[0] for r in rows] == [f"{i:03d}" for i in range(1, 48)], "need 001..047"
    total = sum(r[2] for r in rows)
    assert total == CENSUS_2019_TOTAL, f"2019 populations sum to {total}"
    return rows


def cross_check(conn: sqlite3.Connection, rows) -> None:
    mean = {code[2:]: (lat, lon) for code, lat, lon in conn.execute(CROSS_CHECK)}
    for code, name, _, lat, lon in rows:
        mlat, mlon = mean[code]
        km = 111.2 * math.hypot(
            float(lat) - mlat, (float(lon) - mlon) * math.cos(math.radians(mlat))
        )
        flag = "  <-- check" if km > 25 else ""
        print(
            f"{code} {name:16} centroid {lat:>8},{lon:>8}  constituency mean "
            f"{mlat:8.4f},{mlon:8.4f}  {km:5.1f} km{flag}"
        )


def render(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "population_2019", "latitude", "longitude"])
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="kenya_data-*.whl or an extracted kenya.db")
    ap.add_argument("--check", action="store_true", help="compare with counties.csv, write nothing")
    args = ap.parse_args(argv)

    conn = open_db(args.source)
    version = conn.execute("SELECT version FROM dataset_versions ORDER BY id DESC").fetchone()[0]
    rows = extract(conn)
    cross_check(conn, rows)
    text = render(rows)
    target = HERE / "counties.csv"
    print(f"dataset {version}: {len(rows)} counties, 2019 total {sum(r[2] for r in rows):,}")
    if args.check:
        same = target.read_text(encoding="utf-8") == text
        print("counties.csv matches" if same else "counties.csv DIFFERS")
        return 0 if same else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
