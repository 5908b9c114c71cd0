"""County boundaries for the map: reading a GeoJSON file and matching its features to the
47 counties of the reference data.

A boundary file is optional. The map draws county polygons when one is configured and
usable, and circles at the county centres otherwise; everything here reports what is
wrong with a file in words an operator can act on (which counties it could not match,
which property it lacks), so the page can say so and fall back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import shape

from warehouse.config import PROJECT_ROOT
from warehouse.reference import county_rows

# Where `manage.py boundaries fetch` writes, unless HAKI_BOUNDARY_FILE names another file;
# the map uses it when no file is configured. Its features carry FETCHED_PROPERTY.
FETCHED_FILE = PROJECT_ROOT / "data" / "boundaries" / "kenya-counties.geojson"
FETCHED_PROPERTY = "county_code"
POLYGONAL = ("Polygon", "MultiPolygon")
MAX_LISTED = 8  # longer lists of names are cut short in messages


class BoundaryError(ValueError):
    """A boundary file cannot be used; the message says why."""


def _key(value: str) -> str:
    """'Taita Taveta', 'TAITA-TAVETA county', "Murang'a", 'Nairobi City' -> one spelling."""
    words = re.sub(r"\b(county|city)\b", "", str(value).casefold())
    return re.sub(r"[^a-z0-9]", "", words)


def _county_keys() -> dict[str, str]:
    return {_key(r["name"]): r["code"] for r in county_rows()}


def county_of(value, keys: dict[str, str] | None = None) -> str | None:
    """The county code a property value names: a code (1, '01', '001') or a name."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d{1,3}", text):
        number = int(text)
        return f"{number:03d}" if 1 <= number <= 47 else None
    return (keys if keys is not None else _county_keys()).get(_key(text))


def names() -> dict[str, str]:
    return {r["code"]: r["name"] for r in county_rows()}


def listed(words: list[str]) -> str:
    words = list(words)
    if len(words) > MAX_LISTED:
        return ", ".join(words[:MAX_LISTED]) + f" and {len(words) - MAX_LISTED} more"
    return ", ".join(words)


@dataclass(frozen=True)
class Matched:
    """The features of a file, by the county they name."""

    shapes: dict[str, dict]  # county code -> GeoJSON geometry (Polygon or MultiPolygon)
    unmatched: tuple[str, ...] = ()  # property values that name no county
    duplicated: tuple[str, ...] = ()  # county codes named by more than one feature
    invalid: tuple[str, ...] = ()  # county codes whose geometry is not a valid polygon

    def missing(self, codes) -> list[str]:
        return [c for c in codes if c not in self.shapes]

    def complaints(self, needed) -> list[str]:
        """What is wrong with the file for drawing the counties ``needed``, in words."""
        county = names()
        out = []
        if self.unmatched:
            out.append("features naming no Kenyan county: " + listed(
                [repr(v) for v in self.unmatched]))
        if self.duplicated:
            out.append("counties with more than one feature: " + listed(
                [county[c] for c in self.duplicated]))
        if self.invalid:
            out.append("counties whose geometry is not a valid polygon: " + listed(
                [county[c] for c in self.invalid]))
        missing = self.missing(needed)
        if missing:
            out.append("counties the file has no feature for: " + listed(
                [county[c] for c in missing]))
        return out


def parse(text: str | bytes) -> dict:
    """A GeoJSON FeatureCollection with at least one feature, or BoundaryError."""
    try:
        collection = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BoundaryError(f"it is not valid JSON ({exc})") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise BoundaryError("it is not a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError("it has no features")
    return collection


def read(path: str | Path) -> dict:
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise BoundaryError(f"{path} cannot be read ({exc.strerror or exc})") from None
    try:
        return parse(text)
    except BoundaryError as exc:
        raise BoundaryError(f"{path}: {exc}") from None


def _properties(feature) -> dict:
    props = feature.get("properties") if isinstance(feature, dict) else None
    return props if isinstance(props, dict) else {}


def match(collection: dict, prop: str) -> Matched:
    """Features keyed by the county that property ``prop`` names."""
    features = collection["features"]
    if not any(prop in _properties(f) for f in features):
        found = sorted({k for f in features for k in _properties(f)})
        raise BoundaryError(
            f"no feature has the property {prop!r} (set HAKI_BOUNDARY_PROPERTY to the one "
            f"holding the county code or name; the file has: {listed(found) or 'none'})")
    keys = _county_keys()
    shapes, unmatched, duplicated, invalid = {}, [], [], []
    for i, feature in enumerate(features):
        value = _properties(feature).get(prop)
        code = county_of(value, keys)
        if code is None:
            unmatched.append(f"feature {i + 1}" if value is None else str(value))
            continue
        if code in shapes or code in invalid:
            duplicated.append(code)
            continue
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not _valid_polygon(geometry):
            invalid.append(code)
            continue
        shapes[code] = geometry
    return Matched(shapes, tuple(unmatched), tuple(sorted(set(duplicated))), tuple(invalid))


def _valid_polygon(geometry) -> bool:
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONAL:
        return False
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError):
        return False
    return geom.is_valid and not geom.is_empty


def source(boundary_file: str | None, boundary_property: str) -> tuple[Path, str] | None:
    """The file the map draws and the property naming each feature's county: the configured
    file (HAKI_BOUNDARY_FILE, HAKI_BOUNDARY_PROPERTY), else the file `manage.py boundaries
    fetch` wrote, if it is there; None: no boundaries, the map draws circles."""
    if boundary_file:
        return Path(boundary_file), boundary_property
    return (FETCHED_FILE, FETCHED_PROPERTY) if FETCHED_FILE.exists() else None


def shapes_for(path: str | Path, prop: str, needed: list[str]) -> dict[str, dict]:
    """The geometry of each county in ``needed``, or BoundaryError naming every problem."""
    matched = match(read(path), prop)
    problems = matched.complaints(needed)
    if problems:
        raise BoundaryError(f"{path}: " + "; ".join(problems))
    return {code: matched.shapes[code] for code in needed}
