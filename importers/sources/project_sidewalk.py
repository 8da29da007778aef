"""Project Sidewalk public API output: label points and access-score streets (Washington DC).

Labels become accessibility features (CurbRamp -> curb ramp, NoCurbRamp -> a raised kerb
without a ramp, Obstacle, SurfaceProblem, Crosswalk, Signal); Occlusion, NoSidewalk and Other
say nothing measurable about a point and are skipped. Street scores keep Project Sidewalk's
0..1 score with the label counts and weights behind it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.dateparse import parse_datetime

from importers.base import REJECTED, SKIPPED, Record, RowOutcome, Source
from importers.errors import ImporterError
from importers.models import StreetAccessScore
from mapping.models import AccessibilityFeature, FeatureType
from mapping.models import Source as DataSource

REASON = "Project Sidewalk reference data from Washington DC"

LABEL_VALUES: dict[str, dict[str, Any]] = {
    "CurbRamp": {"feature_type": FeatureType.CURB_RAMP},
    "NoCurbRamp": {"feature_type": FeatureType.KERB, "kerb": "raised"},
    "Obstacle": {"feature_type": FeatureType.OBSTACLE},
    "SurfaceProblem": {"feature_type": FeatureType.SURFACE_PROBLEM},
    "Crosswalk": {"feature_type": FeatureType.CROSSING, "crossing": "marked"},
    "Signal": {
        "feature_type": FeatureType.CROSSING,
        "crossing": "traffic_signals",
        "crossing_signals": True,
    },
}


def _features(path: Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ImporterError(f"Not a GeoJSON file: {e}", fields={"file": [str(e)]}) from e
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImporterError(
            "Expected a GeoJSON FeatureCollection.", fields={"type": ["Not a FeatureCollection."]}
        )
    return list(document.get("features") or [])


def _geometry(feature: dict[str, Any]) -> GEOSGeometry:
    return GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)


class ProjectSidewalkLabels(Source):
    name = "projectsidewalk_labels"
    description = "Project Sidewalk label points (rawLabels API, GeoJSON)"
    check_service_area = False
    outside_service_area_reason = REASON

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        for index, feature in enumerate(_features(path), start=1):
            props = feature.get("properties") or {}
            label = str(props.get("label_type", ""))
            try:
                geom = _geometry(feature)
            except (GEOSException, KeyError, TypeError, ValueError) as e:
                yield RowOutcome(index, None, REJECTED, {"geometry": [f"Unreadable geometry: {e}"]})
                continue
            lon, lat = geom.extent[:2]
            key = str(
                props.get("label_id")
                or f"{props.get('panorama_id', '')}:{label}:{lon:.7f},{lat:.7f}"
            )
            if label not in LABEL_VALUES:
                yield RowOutcome(index, key, SKIPPED)
                continue
            yield Record(AccessibilityFeature, key, self._values(label, props), geom, index)

    def _values(self, label: str, props: dict[str, Any]) -> dict[str, Any]:
        notes = [f"Project Sidewalk {label}"]
        if props.get("severity") is not None:
            notes.append(f"severity {props['severity']}")
        if props.get("tags"):
            notes.append("tags: " + ", ".join(map(str, props["tags"])))
        if props.get("panorama_id"):
            notes.append(f"panorama {props['panorama_id']}")
        values = {
            "source": DataSource.IMPORT,
            **LABEL_VALUES[label],
            "description": "; ".join(notes),
        }
        created = parse_datetime(str(props.get("time_created") or ""))
        if created is not None:
            values["observed_at"] = created
        return values


class ProjectSidewalkStreets(Source):
    name = "projectsidewalk_streets"
    description = "Project Sidewalk access score per street (accessScoreStreets API, GeoJSON)"
    check_service_area = False
    outside_service_area_reason = REASON

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        for index, feature in enumerate(_features(path), start=1):
            props = feature.get("properties") or {}
            edge = props.get("street_edge_id")
            key = str(edge) if edge is not None else ""
            try:
                geom = _geometry(feature)
                score = float(props["score"])
            except (GEOSException, KeyError, TypeError, ValueError) as e:
                yield RowOutcome(index, key, REJECTED, {"feature": [f"Unreadable feature: {e}"]})
                continue
            if not key:
                yield RowOutcome(index, None, REJECTED, {"street_edge_id": ["Missing."]})
                continue
            values = {
                "source": DataSource.IMPORT,
                "street_edge_id": int(key),
                "score": score,
                "significance": props.get("significance") or {},
                "label_counts": props.get("feature") or {},
            }
            yield Record(StreetAccessScore, key, values, geom, index)
