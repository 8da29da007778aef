"""OpenSidewalks 0.2 kerb nodes as crowd-checkable accessibility features.

The routable network itself comes in through the graph builder (``build_graph`` reads OSW edges
and nodes, ``importers/opensidewalks/``); this source brings the curb nodes (``barrier=kerb``
with ``kerb=raised/rolled/lowered/flush``) into the mapping database, where volunteers can
validate them and a verified one overrides the graph like any other observation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from importers.base import REJECTED, SKIPPED, Record, RowOutcome, Source
from importers.errors import ImporterError
from importers.geojson import features
from importers.opensidewalks.reader import osw_files
from importers.osm.tags import kerb_height_cm, kerb_value, parse_bool
from mapping.models import AccessibilityFeature, FeatureType
from mapping.models import Source as DataSource

REASON = "OpenSidewalks reference data (Redmond, WA)"


class OpenSidewalksKerbs(Source):
    name = "opensidewalks_kerbs"
    description = "OpenSidewalks 0.2 curb nodes (the nodes GeoJSON, or the edges file beside it)"
    check_service_area = False
    outside_service_area_reason = REASON

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        nodes = _nodes_file(path)
        for feature in features(nodes):
            props = {str(k): str(v) for k, v in feature.properties.items()}
            key = props.get("_id") or f"row-{feature.index}"
            if props.get("barrier") != "kerb":
                yield RowOutcome(feature.index, key, SKIPPED)
                continue
            if feature.geom is None:
                yield RowOutcome(
                    feature.index, key, REJECTED, {"geometry": [feature.error or "Missing."]}
                )
                continue
            values = {
                "source": DataSource.IMPORT,
                "feature_type": FeatureType.KERB,
                "kerb": kerb_value(props) or "",
                "kerb_height_cm": kerb_height_cm(props),
                "tactile_paving": parse_bool(props.get("tactile_paving")),
                "description": "OpenSidewalks curb node",
            }
            yield Record(AccessibilityFeature, key, values, feature.geom, feature.index)


def _nodes_file(path: Path) -> Path:
    if path.is_file() and "nodes" in path.name:
        return path
    files = osw_files(path)  # [edges, nodes?]
    if len(files) < 2:
        raise ImporterError(
            f"{path}: no OpenSidewalks *nodes*.geojson file.", fields={"path": ["No nodes file."]}
        )
    return files[1]
