"""Edge and node attributes from OSM tags, encoded for the array contract.

Everything unknown stays unknown (NaN / -1). A road's own surface, width and smoothness describe
the carriageway, so they are used for walking only where the road has no sidewalk; a road with a
sidewalk takes ``sidewalk:*:surface`` etc. when tagged and stays unknown otherwise. Incline is
shared by the road and its sidewalks.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from importers.osm.tags import (
    barrier_value,
    crossing_kind,
    foot_oneway,
    kerb_height_for_kind,
    kerb_kind,
    parse_bool,
    parse_incline,
    parse_length_m,
    parse_step_count,
    pedestrian_way_kind,
    sidewalk_tag,
    sidewalk_value,
    structure_flags,
    surface_value,
    wheelchair_value,
)
from routing.graph.contract import (
    BARRIER,
    CROSSING,
    GRADE_SOURCE,
    INCLINE_DIR,
    KERB,
    KIND,
    RAMP_WHEELCHAIR,
    ROAD_KINDS,
    SIDEWALK,
    SMOOTHNESS,
    SURFACE,
    UNKNOWN,
    WHEELCHAIR,
    encode,
    tri,
)

_SURFACES = set(SURFACE)
_NAN = float("nan")
# OpenSidewalks' DEM-derived incline (two end points on a ~10 m DEM) is an underestimate by its
# own schema's words: kept as a grade with this confidence, never as a measured incline.
OSW_GRADE_CONFIDENCE = 0.3
OSW_INCLINE_TAG = "osw:incline"


def _incline(tags: dict[str, str]) -> tuple[float, int]:
    percent, sign = parse_incline(tags.get("incline"))
    if percent is None and sign is None:
        return _NAN, UNKNOWN
    direction = {1: "up", -1: "down", 0: "level"}[sign or 0]
    return (_NAN if percent is None else percent), INCLINE_DIR.index(direction)


def _walking_tag(tags: dict[str, str], key: str, *, road: bool, sidewalk: str | None) -> str | None:
    """The tag describing the walking surface: the sidewalk's own on roads with a sidewalk."""
    if road and sidewalk in ("both", "left", "right"):
        return sidewalk_tag(tags, key)
    return tags.get(key)


def _no_sidewalk(kind: str, sidewalk: str | None) -> int:
    if kind not in ROAD_KINDS:
        return 0
    if sidewalk in ("no", "separate"):
        return 1  # walking this edge means the carriageway; a separate sidewalk is another edge
    if sidewalk in ("both", "left", "right"):
        return 0
    return UNKNOWN


def _osw_grade(tags: dict[str, str]) -> dict[str, Any]:
    value = tags.get(OSW_INCLINE_TAG)
    if value is None:
        return {}
    return {
        "grade_mean_pct": float(value) * 100,
        "grade_source": GRADE_SOURCE.index("opensidewalks"),
        "grade_confidence": OSW_GRADE_CONFIDENCE,
    }


def way_values(tags: dict[str, str]) -> dict[str, Any]:
    """Encoded attributes of a walkable way, in the way's own direction."""
    kind = pedestrian_way_kind(tags) or "footway"
    road = kind in ROAD_KINDS
    sidewalk = sidewalk_value(tags) if road else None
    incline_pct, incline_dir = _incline(tags)
    steps = kind in ("steps", "escalator")
    ramp = tags.get("ramp:wheelchair")
    values: dict[str, Any] = {
        "kind": KIND.index(kind),
        "incline_pct": incline_pct,
        "incline_dir": incline_dir,
        "width_m": parse_length_m(_walking_tag(tags, "width", road=road, sidewalk=sidewalk))
        or _NAN,
        "surface": encode(
            SURFACE,
            surface_value(_walking_tag(tags, "surface", road=road, sidewalk=sidewalk), _SURFACES),
        ),
        "smoothness": encode(
            SMOOTHNESS, _walking_tag(tags, "smoothness", road=road, sidewalk=sidewalk)
        ),
        "step_count": (parse_step_count(tags.get("step_count")) or UNKNOWN) if steps else UNKNOWN,
        "handrail": tri(parse_bool(tags.get("handrail"))) if steps else UNKNOWN,
        "ramp_wheelchair": encode(RAMP_WHEELCHAIR, ramp) if steps else UNKNOWN,
        "elevator": int(kind == "elevator"),
        "escalator": int(kind == "escalator"),
        "wheelchair": encode(WHEELCHAIR, wheelchair_value(tags.get("wheelchair"))),
        "crossing": encode(CROSSING, crossing_kind(tags)) if kind == "crossing" else UNKNOWN,
        "crossing_signals": _crossing_signals(tags) if kind == "crossing" else UNKNOWN,
        "sidewalk": encode(SIDEWALK, sidewalk),
        "no_sidewalk": _no_sidewalk(kind, sidewalk),
        "lit": tri(parse_bool(tags.get("lit"))) if tags.get("lit") != "24/7" else 1,
        "tactile_paving": tri(parse_bool(tags.get("tactile_paving"))),
        "structure": structure_flags(tags),
        "oneway": foot_oneway(tags),
        "way_kerb": encode(KERB, kerb_kind(tags)) if kind == "crossing" else UNKNOWN,
        "way_kerb_cm": (kerb_height_for_kind(tags) or _NAN) if kind == "crossing" else _NAN,
    }
    if values["way_kerb"] >= 0 and values["way_kerb"] == KERB.index("no"):
        values["way_kerb_cm"] = 0.0
    values.update(_osw_grade(tags))
    return values


def _crossing_signals(tags: dict[str, str]) -> int:
    if crossing_kind(tags) == "traffic_signals":
        return 1
    return tri(parse_bool(tags.get("crossing:signals")))


def node_values(tags: dict[str, str]) -> dict[str, Any]:
    """Encoded routing attributes of a node (kerb, barrier, crossing, elevator, wheelchair)."""
    return _node_values(tuple(sorted(tags.items())))


@lru_cache(maxsize=4096)
def _node_values(items: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    tags = dict(items)
    kind = kerb_kind(tags)
    height = kerb_height_for_kind(tags)
    crossing = (
        crossing_kind(tags) if tags.get("highway") == "crossing" or "crossing" in tags else None
    )
    return {
        "kerb": encode(KERB, kind),
        "kerb_height_cm": _NAN if height is None else height,
        "barrier": encode(BARRIER, barrier_value(tags)),
        "crossing": encode(CROSSING, crossing),
        "crossing_signals": 1 if crossing == "traffic_signals" else UNKNOWN,
        "elevator": int(tags.get("highway") == "elevator"),
        "wheelchair": encode(WHEELCHAIR, wheelchair_value(tags.get("wheelchair"))),
        "tactile_paving": tri(parse_bool(tags.get("tactile_paving"))),
    }


def splits_way(tags: dict[str, str]) -> bool:
    """Whether a node becomes a graph node of its own (kerbs, crossings, elevators, barriers)."""
    values = node_values(tags)
    return any(values[k] >= 0 for k in ("kerb", "barrier", "crossing")) or bool(values["elevator"])
