"""Small boundary files for tests: a polygon around each county's centre, made here.

Not real county shapes: a many-sided ring (with a wobble, so that simplifying it has
vertices to remove) around each centroid of the reference data, small enough that
neighbours do not overlap.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from warehouse.reference import county_rows


def ring(lat: float, lon: float, radius: float, vertices: int, wobble: float) -> list:
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius * (1 + wobble * math.sin(7 * angle) + wobble / 3 * math.sin(23 * angle))
        points.append([round(lon + r * math.cos(angle), 6), round(lat + r * math.sin(angle), 6)])
    return points + [points[0]]


def collection(prop: str = "county_code", *, value=lambda row: row["code"], codes=None,
               radius: float = 0.11, vertices: int = 120, wobble: float = 0.04) -> dict:
    features = []
    for row in county_rows():
        if codes is not None and row["code"] not in codes:
            continue
        features.append({
            "type": "Feature",
            "properties": {prop: value(row), "note": "test fixture"},
            "geometry": {"type": "Polygon", "coordinates": [
                ring(row["latitude"], row["longitude"], radius, vertices, wobble)]},
        })
    return {"type": "FeatureCollection", "features": features}


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
