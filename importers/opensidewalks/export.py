"""Export a built graph as OpenSidewalks 0.2 GeoJSON (edges + nodes) and validate it.

One edge feature per segment (u -> v, its own geometry) and one node feature per graph node.
OSW 0.2 has a type for sidewalks, crossings, traffic islands, footways, steps, pedestrian and
living streets and the road classes; other walkable ways (paths, shared cycleways, corridors,
elevators, escalators) are exported as footways with their real OSM tags under ``ext:osm:``,
which the schema allows and our reader restores. ``incline`` is the OSM tag where mapped
(``ext:incline_source = osm_tag``), else the DEM mean grade (``ext:incline_source = dem``).
Map data © OpenStreetMap contributors, ODbL 1.0: every file says so in ``dataSource``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import numpy as np
from django.conf import settings
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from routing.graph.contract import (
    BRIDGE,
    COVERED,
    CROSSING,
    GRADE_SOURCE,
    INCLINE_DIR,
    INDOOR,
    KERB,
    KIND,
    RAMP_WHEELCHAIR,
    ROAD_KINDS,
    SIDEWALK,
    SMOOTHNESS,
    SURFACE,
    TUNNEL,
    WHEELCHAIR,
)
from routing.graph.graph import PedestrianGraph
from routing.graph.postgis import forward_attributes

SCHEMA_PATH = Path(__file__).parent / "schema" / "opensidewalks-0.2.schema.json"
SCHEMA_ID = "https://sidewalks.washington.edu/opensidewalks/0.2/schema.json"
EXT_OSM = "ext:osm:"
MAX_LENGTH_M = 5000

# our kind -> (OSW definition, highway, footway)
EDGE_TYPES: dict[str, tuple[str, str, str | None]] = {
    "sidewalk": ("Sidewalk", "footway", "sidewalk"),
    "crossing": ("Crossing", "footway", "crossing"),
    "traffic_island": ("TrafficIsland", "footway", "traffic_island"),
    "steps": ("Steps", "steps", None),
    "pedestrian": ("Pedestrian", "pedestrian", None),
    "living_street": ("LivingStreet", "living_street", None),
    "service": ("ServiceRoad", "service", None),
    "residential": ("ResidentialStreet", "residential", None),
    "unclassified": ("UnclassifiedRoad", "unclassified", None),
    "tertiary": ("TertiaryStreet", "tertiary", None),
    "secondary": ("SecondaryStreet", "secondary", None),
    "primary": ("PrimaryStreet", "primary", None),
    "trunk": ("TrunkRoad", "trunk", None),
}
FOOTWAY = ("Footway", "footway", None)
# OSW 0.2 surfaces are coarse; the exact value goes to ext:osm:surface.
OSW_SURFACE = {
    "paved": "paved",
    "asphalt": "asphalt",
    "concrete": "concrete",
    "paving_stones": "paving_stones",
    "concrete:plates": "concrete",
    "concrete:lanes": "concrete",
    "wood": "paved",
    "metal": "paved",
    "sett": "paved",
    "cobblestone": "paved",
    "unpaved": "unpaved",
    "compacted": "unpaved",
    "fine_gravel": "gravel",
    "grass_paver": "grass_paver",
    "gravel": "gravel",
    "ground": "dirt",
    "dirt": "dirt",
    "grass": "grass",
    "sand": "unpaved",
    "mud": "dirt",
}
KERB_TYPES = {
    "raised": "RaisedCurb",
    "lowered": "CurbRamp",
    "flush": "FlushCurb",
    "rolled": "RolledCurb",
    "no": "GenericCurb",
    "yes": "GenericCurb",
}
ATTRIBUTION = {
    "name": "OpenStreetMap contributors, via modugil",
    "copyright": "https://www.openstreetmap.org/copyright",
    "license": "https://opendatacommons.org/licenses/odbl/1-0/",
}


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def _allowed(definition: str) -> frozenset[str]:
    return frozenset(schema()["definitions"][f"{definition}Fields"]["properties"])


def _yes_no(code: int) -> str | None:
    return None if code < 0 else ("yes" if code else "no")


def _node_ids(graph: PedestrianGraph) -> list[str]:
    osm = np.asarray(graph.nodes["osm_id"])
    values, counts = np.unique(osm, return_counts=True)
    duplicated = set(values[counts > 1].tolist())
    return [
        str(o) if o > 0 and o not in duplicated else f"n{i}" for i, o in enumerate(osm.tolist())
    ]


def _incline(a: dict[str, np.ndarray], s: int) -> dict[str, Any]:
    if np.isfinite(a["incline_pct"][s]):
        value, source = float(a["incline_pct"][s]), "osm_tag"
    elif np.isfinite(a["grade_mean_pct"][s]):
        value, source = float(a["grade_mean_pct"][s]), GRADE_SOURCE[int(a["grade_source"][s])]
    else:
        return {}
    return {"incline": round(max(-1.0, min(1.0, value / 100)), 4), "ext:incline_source": source}


def _osm_extras(a: dict[str, np.ndarray], s: int, kind: str) -> dict[str, str]:
    extra: dict[str, str] = {}
    if kind not in EDGE_TYPES:
        extra["highway"] = "steps" if kind == "escalator" else kind
    if kind == "escalator":
        extra["conveying"] = "yes"
    surface = int(a["surface"][s])
    if surface >= 0 and OSW_SURFACE[SURFACE[surface]] != SURFACE[surface]:
        extra["surface"] = SURFACE[surface]
    codes = {
        "smoothness": SMOOTHNESS,
        "wheelchair": WHEELCHAIR,
        "crossing": CROSSING,
        "ramp:wheelchair": RAMP_WHEELCHAIR,
        "sidewalk": SIDEWALK,
    }
    for key, vocabulary in codes.items():
        code = int(a[key.replace(":", "_")][s])
        if code >= 0:
            extra[key] = vocabulary[code]
    for key in ("lit", "handrail", "tactile_paving", "crossing_signals"):
        value = _yes_no(int(a[key][s]))
        if value:
            extra[key.replace("crossing_signals", "crossing:signals")] = value
    if int(a["incline_dir"][s]) >= 0 and not np.isfinite(a["incline_pct"][s]):
        extra["incline"] = INCLINE_DIR[int(a["incline_dir"][s])]
    structure = int(a["structure"][s])
    for bit, key in (
        (BRIDGE, "bridge"),
        (TUNNEL, "tunnel"),
        (COVERED, "covered"),
        (INDOOR, "indoor"),
    ):
        if structure & bit:
            extra[key] = "yes"
    if kind in ROAD_KINDS and extra.get("sidewalk") in ("both", "left", "right"):
        for key in ("surface", "width", "smoothness"):
            extra[f"sidewalk:{key}"] = ""  # filled by the caller from the walking values
    return extra


def edge_properties(
    graph: PedestrianGraph, a: dict[str, np.ndarray], s: int, ids: list[str]
) -> dict[str, Any]:
    seg = graph.segments
    kind = KIND[int(a["kind"][s])]
    definition, highway, footway = EDGE_TYPES.get(kind, FOOTWAY)
    props: dict[str, Any] = {
        "_id": str(s),
        "_u_id": ids[int(seg["u"][s])],
        "_v_id": ids[int(seg["v"][s])],
        "highway": highway,
    }
    if footway:
        props["footway"] = footway
    length = float(a["length_m"][s])
    if length <= MAX_LENGTH_M:
        props["length"] = round(length, 2)
    props.update(_incline(a, s))
    width = float(a["width_m"][s])
    if np.isfinite(width) and 0 <= width <= 500:
        props["width"] = round(width, 2)
    surface = int(a["surface"][s])
    if surface >= 0:
        props["surface"] = OSW_SURFACE[SURFACE[surface]]
    if kind == "steps" and int(a["step_count"][s]) > 0:
        props["step_count"] = int(a["step_count"][s])
    if kind == "steps" and int(a["incline_dir"][s]) in (0, 2):
        props["climb"] = "down" if int(a["incline_dir"][s]) == 0 else "up"
    if kind == "crossing" and int(a["crossing"][s]) >= 0:
        markings = {"marked": "yes", "unmarked": "no"}.get(CROSSING[int(a["crossing"][s])])
        if markings:
            props["crossing:markings"] = markings
    if kind in ("cycleway", "bridleway"):
        props["foot"] = "yes"
    extra = _osm_extras(a, s, kind)
    for key in ("surface", "width", "smoothness"):
        if f"sidewalk:{key}" in extra:
            value = extra.get(key) or props.get(key)
            extra[f"sidewalk:{key}"] = str(value) if value is not None else ""
    props.update({EXT_OSM + k: v for k, v in extra.items() if v != ""})
    oneway = int(seg["forward_edge"][s] < 0) * -1 + int(seg["backward_edge"][s] < 0)
    if oneway:
        props[EXT_OSM + "oneway:foot"] = "yes" if oneway == 1 else "-1"
    if int(seg["osm_way_id"][s]) >= 0:
        props["ext:modugil:osm_way_id"] = int(seg["osm_way_id"][s])
    for key in ("grade_max_up_pct", "grade_max_down_pct", "grade_confidence"):
        if np.isfinite(a[key][s]):
            props[f"ext:modugil:{key}"] = round(float(a[key][s]), 3)
    allowed = _allowed(definition)
    return {k: v for k, v in props.items() if k in allowed or k.startswith("ext:")}


def edge_features(graph: PedestrianGraph) -> list[dict[str, Any]]:
    a = forward_attributes(graph)
    ids = _node_ids(graph)
    seg = graph.segments
    offsets = np.asarray(seg["geom_offsets"])
    lon, lat = np.asarray(seg["geom_lon"]), np.asarray(seg["geom_lat"])
    features = []
    for s in range(graph.segment_count):
        start, end = int(offsets[s]), int(offsets[s + 1])
        coords = [
            [round(x, 7), round(y, 7)]
            for x, y in zip(lon[start:end].tolist(), lat[start:end].tolist(), strict=True)
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": edge_properties(graph, a, s, ids),
            }
        )
    return features


def node_properties(graph: PedestrianGraph, i: int, ids: list[str]) -> dict[str, Any]:
    nodes = graph.nodes
    props: dict[str, Any] = {"_id": ids[i]}
    kerb = int(nodes["kerb"][i])
    if kerb >= 0:
        props["barrier"] = "kerb"
        if KERB[kerb] not in ("no", "yes"):
            props["kerb"] = KERB[kerb]
        elif KERB[kerb] == "no":
            props[EXT_OSM + "kerb"] = "no"
        tactile = _yes_no(int(nodes["tactile_paving"][i]))
        if tactile:
            props["tactile_paving"] = tactile
    height = float(nodes["kerb_height_cm"][i])
    if np.isfinite(height):
        props[EXT_OSM + "kerb:height"] = f"{height / 100:g}"
    if int(nodes["elevator"][i]):
        props[EXT_OSM + "highway"] = "elevator"
    if int(nodes["crossing"][i]) >= 0:
        props[EXT_OSM + "crossing"] = CROSSING[int(nodes["crossing"][i])]
    if int(nodes["wheelchair"][i]) >= 0:
        props[EXT_OSM + "wheelchair"] = WHEELCHAIR[int(nodes["wheelchair"][i])]
    if np.isfinite(nodes["elevation_m"][i]):
        props["ext:modugil:elevation_m"] = round(float(nodes["elevation_m"][i]), 2)
    return props


def node_features(graph: PedestrianGraph) -> list[dict[str, Any]]:
    ids = _node_ids(graph)
    lon, lat = np.asarray(graph.nodes["lon"]), np.asarray(graph.nodes["lat"])
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(lon[i]), 7), round(float(lat[i]), 7)],
            },
            "properties": node_properties(graph, i, ids),
        }
        for i in range(graph.node_count)
    ]


def collection(features: list[dict[str, Any]], graph: PedestrianGraph) -> dict[str, Any]:
    built = graph.meta.get("built_at", "")
    return {
        "$schema": SCHEMA_ID,
        "type": "FeatureCollection",
        "dataSource": {**ATTRIBUTION, "attribution": settings.OSM_ATTRIBUTION},
        **({"dataTimestamp": built.replace("+00:00", "Z")} if built else {}),
        "features": features,
    }


def export_osw(graph: PedestrianGraph, directory: Path, *, name: str) -> dict[str, Path]:
    """Write ``<name>.edges.OSW.geojson`` and ``<name>.nodes.OSW.geojson`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for part, features in (("edges", edge_features(graph)), ("nodes", node_features(graph))):
        path = directory / f"{name}.{part}.OSW.geojson"
        path.write_text(
            json.dumps(collection(features, graph), ensure_ascii=False), encoding="utf-8"
        )
        paths[part] = path
    return paths


@cache
def _compiled() -> Any:
    return fastjsonschema.compile(schema())


def validate_osw(data: dict[str, Any], *, limit: int = 20, reference: bool = False) -> list[str]:
    """Schema errors of an OSW FeatureCollection; empty when valid.

    By default a compiled validator (fastjsonschema: a 4,000-edge file in under a second) reports
    the first error; ``reference=True`` runs the reference ``jsonschema`` implementation instead
    and lists up to ``limit`` errors (about 5 ms per feature with this schema).
    """
    if not reference:
        try:
            _compiled()(data)
        except fastjsonschema.JsonSchemaException as e:
            return [str(e)[:500]]
        return []
    validator = Draft7Validator(schema())
    errors = []
    for error in validator.iter_errors(data):
        detail = best_match([error])
        where = "/".join(str(p) for p in detail.absolute_path)
        errors.append(f"{where}: {detail.message}"[:500])
        if len(errors) >= limit:
            break
    return errors
