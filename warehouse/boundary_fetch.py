"""``manage.py boundaries fetch``: download a county boundary file once, check it, simplify it.

For deployments with internet access. The file is checked before anything is written
(47 features, each naming a different county, polygonal and valid geometry — a feature
whose rings cross is repaired when that leaves a valid polygon, and the repair is
reported), simplified so the browser receives kilobytes rather than megabytes, and
written in one step: an interrupted or refused fetch leaves no file, or the old one.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import shapely
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape

from warehouse.boundaries import (
    FETCHED_PROPERTY,
    POLYGONAL,
    BoundaryError,
    county_of,
    listed,
    names,
    parse,
    shapes_for,
)

# geoBoundaries gbOpen, Kenya ADM1 (counties), simplified, at a pinned commit so the file
# does not change under a deployment. See README, "County boundaries", for its licence.
DEFAULT_URL = ("https://github.com/wmgeolab/geoBoundaries/raw/9469f09/releaseData/gbOpen/"
               "KEN/ADM1/geoBoundaries-KEN-ADM1_simplified.geojson")
COUNTIES = 47
TOLERANCE = 0.005  # degrees (about 550 m): county shapes stay recognisable at page zoom
GRID = 1e-5  # coordinates are rounded to about a metre
MAX_BYTES = 200 * 1024 * 1024
TIMEOUT = 60  # seconds


def download(url: str, *, timeout: float = TIMEOUT) -> bytes:
    if not url.lower().startswith(("http://", "https://")):
        raise BoundaryError(f"{url!r} is not an http(s) URL")
    request = urllib.request.Request(url, headers={"User-Agent": "haki-boundaries/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise BoundaryError(f"could not download {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BoundaryError(f"could not download {url}: {reason}") from None
    if len(body) > MAX_BYTES:
        raise BoundaryError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return body


def guess_property(collection: dict) -> str:
    """The property whose values name the most different counties (47 for a good file)."""
    features = collection["features"]
    candidates = sorted({k for f in features if isinstance(f, dict)
                         for k in (f.get("properties") or {})})
    best, best_count = None, 0
    for prop in candidates:
        codes = {county_of((f.get("properties") or {}).get(prop)) for f in features
                 if isinstance(f, dict)}
        count = len(codes - {None})
        if count > best_count:
            best, best_count = prop, count
    if best is None:
        raise BoundaryError("no feature property names a Kenyan county (properties found: "
                            + (listed(candidates) or "none") + "); give --property")
    return best


def _polygonal(geom):
    """``geom`` repaired into a valid (Multi)Polygon, or None."""
    if not geom.is_valid:
        parts = [p for p in shapely.get_parts(shapely.make_valid(geom))
                 if p.geom_type in POLYGONAL]
        geom = shapely.union_all(parts) if parts else None
    if geom is None or geom.is_empty or geom.geom_type not in POLYGONAL or not geom.is_valid:
        return None
    return geom


def simplify(geom, tolerance: float):
    """Fewer vertices, coordinates on a 1e-5 degree grid, still a valid polygon."""
    for candidate in (shapely.simplify(geom, tolerance, preserve_topology=True), geom):
        snapped = _polygonal(shapely.set_precision(candidate, GRID))
        if snapped is not None:
            return snapped
    raise BoundaryError("a county's shape does not survive rounding to a metre")


def _rounded(coords):
    if isinstance(coords, (int, float)):
        return round(coords, 5)
    return [_rounded(c) for c in coords]


def prepare(collection: dict, prop: str, tolerance: float = TOLERANCE) -> tuple[dict, list[str]]:
    """The file as Haki stores it (one feature per county, property ``county_code`` and
    ``county``, simplified), and notes on what was repaired; BoundaryError if unusable."""
    features = collection["features"]
    county = names()
    found, unmatched, duplicated, invalid, repaired = {}, [], set(), [], []
    for i, feature in enumerate(features):
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        code = county_of(props.get(prop))
        if code is None:
            unmatched.append(repr(props.get(prop)) if prop in props else f"feature {i + 1}")
            continue
        if code in found:
            duplicated.add(county[code])
            continue
        try:
            geom = shape(feature.get("geometry"))
        except (ValueError, TypeError, AttributeError, IndexError, GEOSException):
            geom = None
        fixed = _polygonal(geom) if geom is not None and geom.geom_type in POLYGONAL else None
        if fixed is None:
            invalid.append(county[code])
            found[code] = None
            continue
        if not geom.is_valid:
            repaired.append(county[code])
        found[code] = fixed
    problems = []
    if len(features) != COUNTIES:
        problems.append(f"it has {len(features)} features; Kenya has {COUNTIES} counties")
    if unmatched:
        problems.append(f"values of {prop!r} naming no county: {listed(unmatched)}")
    if duplicated:
        problems.append("counties with more than one feature: " + listed(sorted(duplicated)))
    if invalid:
        problems.append("counties without a valid polygon: " + listed(invalid))
    missing = [county[c] for c in sorted(county) if c not in found]
    if missing:
        problems.append("counties with no feature: " + listed(missing))
    if problems:
        raise BoundaryError("; ".join(problems))
    out = [{"type": "Feature",
            "properties": {FETCHED_PROPERTY: code, "county": county[code]},
            "geometry": {"type": g["type"], "coordinates": _rounded(g["coordinates"])}}
           for code, g in ((c, mapping(simplify(found[c], tolerance))) for c in sorted(found))]
    notes = [f"repaired crossing rings in: {listed(repaired)}"] if repaired else []
    return {"type": "FeatureCollection", "features": out}, notes


def write(collection: dict, dest: Path, provenance: dict) -> None:
    """All or nothing: the new file replaces the old one only once it is complete."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    body = {**collection, "haki": provenance}
    partial.write_text(json.dumps(body, separators=(",", ":")), encoding="utf-8")
    os.replace(partial, dest)


def fetch(dest: Path, *, url: str = DEFAULT_URL, prop: str | None = None,
          tolerance: float = TOLERANCE, force: bool = False,
          say: Callable[[str], None] = print) -> bool:
    """Download, check, simplify and write the boundary file; False if it was already there."""
    dest = Path(dest)
    if dest.exists() and not force:
        say(f"{dest} is already there; give --force to download it again.")
        return False
    raw = download(url)
    try:
        collection = parse(raw)
        prop = prop or guess_property(collection)
        prepared, notes = prepare(collection, prop, tolerance)
    except BoundaryError as exc:
        raise BoundaryError(f"the file at {url} cannot be used: {exc}") from None
    write(prepared, dest, {"source": url, "property": prop, "tolerance_degrees": tolerance,
                           "fetched_at": datetime.now(UTC).isoformat(timespec="seconds")})
    shapes_for(dest, FETCHED_PROPERTY, sorted(names()))  # the written file reads back whole
    for note in notes:
        say(note)
    size = dest.stat().st_size
    say(f"wrote {dest} ({COUNTIES} counties, {size / 1024:,.0f} KB, matched on {prop!r}, "
        f"from {len(raw) / 1024:,.0f} KB downloaded)")
    return True
