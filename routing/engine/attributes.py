"""Profile-independent per-edge values derived once per graph from the stored arrays.

Everything here is vectorised over the directed edges and kept per graph (and per set of ignored
low-confidence crowd reports), so a profile's costs are a handful of comparisons on top.
Unknown stays visible: every derived value comes with its own "unknown" mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from importers.osm.tags import KERB_HEIGHT_CM
from routing.graph.contract import BARRIER, EDGE_ARRAYS, GRADE_SOURCE, KERB, KIND, ROAD_KINDS
from routing.graph.graph import PedestrianGraph

# DEM grades this confident (0..1) are limits; coarser ones (the 90 m Seoul DEM gives ~0.1)
# only slow the route down and raise a warning, the way Valhalla ignores noisy grades.
GRADE_LIMIT_CONFIDENCE = 0.3
# Barriers that wheels, walkers and strollers cannot pass; someone who manages a 25 cm step can.
WHEEL_BARRIERS = ("stile", "kissing_gate", "turnstile", "full-height_turnstile", "cycle_barrier")
BARRIER_STEP_CM = 25.0

_KERB_DEFAULT_CM = np.array(
    [np.nan if KERB_HEIGHT_CM.get(k) is None else KERB_HEIGHT_CM[k] for k in KERB],
    dtype=np.float32,
)


@dataclass
class EdgeValues:
    """Derived values per directed edge (float32 NaN / bool masks for unknown)."""

    length_m: np.ndarray
    kind: np.ndarray
    climb_pct: np.ndarray  # steepest climb in the direction of travel (NaN unknown)
    descent_pct: np.ndarray  # steepest descent, positive (NaN unknown)
    climb_hint_pct: np.ndarray  # coarse-DEM climb: a warning, never a limit
    descent_hint_pct: np.ndarray
    speed_grade_pct: np.ndarray  # signed grade used for speed (0 when unknown)
    kerb_cm: np.ndarray  # highest kerb at either end (NaN unknown or none)
    kerb_end_cm: np.ndarray  # kerb at the arrival end (soft cost), 0 when none
    kerb_unknown: np.ndarray
    width_m: np.ndarray
    surface: np.ndarray
    smoothness: np.ndarray
    step_count: np.ndarray
    is_steps: np.ndarray
    steps_ramp: np.ndarray
    is_escalator: np.ndarray
    is_elevator: np.ndarray
    is_crossing: np.ndarray
    signals: np.ndarray
    wheelchair_no: np.ndarray
    barrier_at_v: np.ndarray
    on_road: np.ndarray
    no_sidewalk: np.ndarray
    sidewalk_unknown: np.ndarray
    incline_unknown: np.ndarray
    overlay_confidence: np.ndarray
    overlay_feature_id: np.ndarray
    overlay_observed_s: np.ndarray
    obstacle_width_m: np.ndarray
    obstacle_until_s: np.ndarray
    ignored: np.ndarray  # edges whose low-confidence crowd values were ignored


def _f32(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


def base_edges(graph: PedestrianGraph) -> dict[str, np.ndarray] | None:
    """The stored arrays before the crowd overlay (memory-mapped), when the graph was saved."""
    directory = graph.meta.get("directory")
    if not directory or not Path(directory).is_dir():
        return None
    return {
        spec.name: np.load(Path(directory) / f"edge_{spec.name}.npy", mmap_mode="r")
        for spec in EDGE_ARRAYS
    }


def effective_arrays(graph: PedestrianGraph, min_confidence: float) -> dict[str, np.ndarray]:
    """Edge arrays with crowd values below ``min_confidence`` replaced by the stored OSM values."""
    edges = dict(graph.edges)
    confidence = np.asarray(edges["overlay_confidence"])
    low = np.flatnonzero(confidence < min_confidence)  # NaN (no report) compares False
    edges["_ignored"] = np.zeros(graph.edge_count, dtype=bool)
    if low.size == 0:
        return edges
    base = base_edges(graph)
    if base is not None:
        for spec in EDGE_ARRAYS:
            values = np.array(edges[spec.name])
            values[low] = base[spec.name][low]
            edges[spec.name] = values
    for name in ("obstacle_width_m", "obstacle_until_s"):
        values = np.array(edges[name])
        values[low] = np.nan
        edges[name] = values
    edges["_ignored"][low] = True
    return edges


def _grades(
    e: dict[str, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    incline = _f32(e["incline_pct"])
    confident = (_f32(e["grade_confidence"]) >= GRADE_LIMIT_CONFIDENCE) | (
        e["grade_source"] == GRADE_SOURCE.index("survey")
    )
    up, down = _f32(e["grade_max_up_pct"]), _f32(e["grade_max_down_pct"])
    nan = np.float32(np.nan)
    with np.errstate(invalid="ignore"):
        tag_up = np.where(incline > 0, incline, np.where(incline <= 0, 0, nan))
        tag_down = np.where(incline < 0, -incline, np.where(incline >= 0, 0, nan))
    climb = np.fmax(tag_up, np.where(confident, up, nan))
    descent = np.fmax(tag_down, np.where(confident, down, nan))
    hint_up = np.where(confident, nan, up)
    hint_down = np.where(confident, nan, down)
    mean = _f32(e["grade_mean_pct"])
    speed_grade = np.where(np.isfinite(incline), incline, np.where(np.isfinite(mean), mean, 0))
    return climb, descent, hint_up, hint_down, _f32(speed_grade), np.isnan(climb)


def _kerbs(e: dict[str, np.ndarray], kind: np.ndarray) -> tuple[np.ndarray, ...]:
    heights = []
    for end in ("u", "v"):
        code = np.asarray(e[f"kerb_{end}"])
        cm = _f32(e[f"kerb_{end}_cm"])
        default = np.where(code >= 0, _KERB_DEFAULT_CM[np.clip(code, 0, None)], np.nan)
        heights.append(np.where(np.isfinite(cm), cm, default).astype(np.float32))
    kerb_cm = np.fmax(heights[0], heights[1])
    kerb_end = np.nan_to_num(heights[1], nan=0.0)
    codes_u, codes_v = np.asarray(e["kerb_u"]), np.asarray(e["kerb_v"])
    yes = KERB.index("yes")
    unknown_kind = ((codes_u == yes) & np.isnan(heights[0])) | (
        (codes_v == yes) & np.isnan(heights[1])
    )
    crossing_unmapped = (kind == KIND.index("crossing")) & (codes_u < 0) & (codes_v < 0)
    return kerb_cm, kerb_end, unknown_kind | crossing_unmapped


def edge_values(graph: PedestrianGraph, min_confidence: float) -> EdgeValues:
    """All derived values for one graph and one min_confidence (cache the result)."""
    e = effective_arrays(graph, min_confidence)
    kind = np.asarray(e["kind"])
    climb, descent, hint_up, hint_down, speed_grade, incline_unknown = _grades(e)
    kerb_cm, kerb_end, kerb_unknown = _kerbs(e, kind)
    barrier = np.asarray(graph.nodes["barrier"])[np.asarray(e["v"])]
    wheel_barrier = np.isin(barrier, [BARRIER.index(b) for b in WHEEL_BARRIERS])
    road = np.isin(kind, [KIND.index(k) for k in ROAD_KINDS])
    no_sidewalk = np.asarray(e["no_sidewalk"])
    return EdgeValues(
        length_m=_f32(e["length_m"]),
        kind=kind,
        climb_pct=climb,
        descent_pct=descent,
        climb_hint_pct=hint_up,
        descent_hint_pct=hint_down,
        speed_grade_pct=speed_grade,
        kerb_cm=kerb_cm,
        kerb_end_cm=kerb_end,
        kerb_unknown=kerb_unknown,
        width_m=_f32(e["width_m"]),
        surface=np.asarray(e["surface"]),
        smoothness=np.asarray(e["smoothness"]),
        step_count=np.asarray(e["step_count"]),
        is_steps=kind == KIND.index("steps"),
        steps_ramp=np.asarray(e["ramp_wheelchair"]) == 0,  # "yes": a ramp alongside
        is_escalator=(kind == KIND.index("escalator")) | (np.asarray(e["escalator"]) == 1),
        is_elevator=(kind == KIND.index("elevator")) | (np.asarray(e["elevator"]) == 1),
        is_crossing=kind == KIND.index("crossing"),
        signals=np.asarray(e["crossing_signals"]) == 1,
        wheelchair_no=np.asarray(e["wheelchair"]) == 0,
        barrier_at_v=wheel_barrier,
        on_road=road,
        no_sidewalk=road & (no_sidewalk == 1),
        sidewalk_unknown=road & (no_sidewalk < 0),
        incline_unknown=incline_unknown,
        overlay_confidence=_f32(e["overlay_confidence"]),
        overlay_feature_id=np.asarray(e["overlay_feature_id"]),
        overlay_observed_s=np.asarray(e["overlay_observed_s"], dtype=np.float64),
        obstacle_width_m=_f32(e["obstacle_width_m"]),
        obstacle_until_s=np.asarray(e["obstacle_until_s"], dtype=np.float64),
        ignored=e["_ignored"],
    )
