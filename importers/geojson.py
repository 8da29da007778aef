"""Reading JSON and GeoJSON inputs: one place for 'not JSON', 'not a FeatureCollection' and
unreadable geometries, so every GeoJSON-based source reports them the same way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry

from importers.errors import ImporterError


def load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ImporterError(f"Not a JSON file: {e}", fields={"file": [str(e)]}) from e


def feature_collection(path: Path) -> list[dict[str, Any]]:
    document = load_json(path)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImporterError(
            "Expected a GeoJSON FeatureCollection.", fields={"type": ["Not a FeatureCollection."]}
        )
    return list(document.get("features") or [])


def geometry(feature: dict[str, Any]) -> GEOSGeometry | None:
    """The feature's geometry in WGS84 (RFC 7946), or None; raises ``ValueError`` if unreadable."""
    raw = feature.get("geometry")
    if not raw:
        return None
    try:
        return GEOSGeometry(json.dumps(raw), srid=4326)
    except (GEOSException, TypeError, ValueError) as e:
        raise ValueError(f"Unreadable geometry: {e}") from e


@dataclass
class Feature:
    index: int
    properties: dict[str, Any]
    geom: GEOSGeometry | None
    error: str = ""  # why the geometry could not be read


def features(path: Path) -> Iterator[Feature]:
    for index, feature in enumerate(feature_collection(path), start=1):
        props = feature.get("properties") or {}
        try:
            yield Feature(index, props, geometry(feature))
        except ValueError as e:
            yield Feature(index, props, None, str(e))
