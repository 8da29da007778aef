"""Project Sidewalk public API output: label points and access-score streets (Washington DC).

Labels become accessibility features (CurbRamp -> curb ramp, NoCurbRamp -> a raised kerb
without a ramp, Obstacle, SurfaceProblem, Crosswalk, Signal); Occlusion, NoSidewalk and Other
say nothing measurable about a point and are skipped. Street scores keep Project Sidewalk's
0..1 score with the label counts and weights behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.dateparse import parse_datetime

from importers.base import REJECTED, SKIPPED, Record, RowOutcome, Source
from importers.geojson import features
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


class ProjectSidewalkLabels(Source):
    name = "projectsidewalk_labels"
    description = "Project Sidewalk label points (rawLabels API, GeoJSON)"
    check_service_area = False
    outside_service_area_reason = REASON

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        for feature in features(path):
            index, props, geom = feature.index, feature.properties, feature.geom
            label = str(props.get("label_type", ""))
            if geom is None:
                yield RowOutcome(index, None, REJECTED, {"geometry": [feature.error or "Missing."]})
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
        for feature in features(path):
            index, props, geom = feature.index, feature.properties, feature.geom
            edge = props.get("street_edge_id")
            key = str(edge) if edge is not None else ""
            try:
                score = float(props["score"])
            except (KeyError, TypeError, ValueError) as e:
                yield RowOutcome(index, key, REJECTED, {"score": [f"Not a number: {e}"]})
                continue
            if not key or geom is None:
                missing = (
                    {"street_edge_id": ["Missing."]}
                    if not key
                    else {"geometry": [feature.error or "Missing."]}
                )
                yield RowOutcome(index, key or None, REJECTED, missing)
                continue
            values = {
                "source": DataSource.IMPORT,
                "street_edge_id": int(key),
                "score": score,
                "significance": props.get("significance") or {},
                "label_counts": props.get("feature") or {},
            }
            yield Record(StreetAccessScore, key, values, geom, index)
