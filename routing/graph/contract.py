"""The array contract of a built pedestrian graph: what the routing engine may rely on.

A graph is a set of flat numpy arrays (one ``.npy`` file each, memory-mapped on load) plus
``meta.json``. Three tables share one index space each:

``node_*`` (N nodes)
    ``lon``, ``lat`` (float64, WGS84); ``osm_id`` (int64, -1 when none); ``elevation_m`` (float32,
    DEM, NaN unknown); ``kerb`` (int8 code in :data:`KERB`), ``kerb_height_cm`` (float32);
    ``barrier`` (int8 code in :data:`BARRIER`, bollards, gates, stiles; kerbs are in ``kerb``);
    ``crossing`` (int8, :data:`CROSSING`); ``elevator`` (int8 0/1: an elevator stop);
    ``wheelchair`` (int8, :data:`WHEELCHAIR`); ``component`` (int32, weakly connected component,
    0 = largest).

``edge_*`` (E directed edges, sorted by ``u``)
    CSR: the out-edges of node ``i`` are ``indptr[i]:indptr[i+1]`` (``indptr`` has N+1 entries).
    ``u``, ``v`` (int32 node indices); ``segment`` (int32 index into ``segment_*``);
    ``reversed`` (bool: this edge runs against its segment's geometry); ``reverse`` (int32 index
    of the opposite edge, -1 for one-way edges). Every attribute in :data:`EDGE_ARRAYS` is
    given **for the direction of travel** u -> v: ``incline_pct`` and ``grade_mean_pct`` are
    positive uphill, ``grade_max_up_pct`` / ``grade_max_down_pct`` are the steepest 10 m window
    climbing / descending in that direction, ``kerb_u_*`` is the kerb where the edge starts and
    ``kerb_v_*`` where it ends. Reverse edges are derived by the rules in ``reverse`` below.

``segment_*`` (S segments: one per piece of OSM way between graph nodes)
    ``osm_way_id`` (int64, -1 virtual); ``geom_offsets`` (int64, S+1) into ``geom_lon`` /
    ``geom_lat`` (float64) in the segment's own direction: a reversed edge reads them backwards
    (:func:`routing.graph.store.edge_coords`); ``source`` (int8, :data:`DATA_SOURCE`);
    ``osm_timestamp_s`` (int64 epoch seconds of the way version, -1 unknown).

**Unknown stays unknown**: floats are NaN, codes and tri-states are -1 (:data:`UNKNOWN`), counts
are -1. Nothing is defaulted to passable; the engine's ``unknown_policy`` decides. A tri-state is
0 = no, 1 = yes, -1 = unknown. Codes index the vocabulary tuples below, which ``meta.json``
repeats, so ``SURFACE[edge_surface[e]]`` is the OSM value; ``SURFACE`` and ``SMOOTHNESS`` are
ranked best first, so ``edge_surface > rank_of_worst_allowed`` is a vectorised test.

Crowdsourced overlay (verified ``AccessibilityFeature``s, :mod:`routing.graph.overlay`) is applied
on load over the base arrays: it overrides the attribute arrays and fills ``overlay_feature_id``,
``overlay_confidence``, ``overlay_observed_s``, ``obstacle_width_m`` and ``obstacle_until_s``. An
edge is blocked at time ``t`` when ``obstacle_width_m == 0 and obstacle_until_s > t`` (an elevator
reported out of order is blocked with ``obstacle_until_s = +inf`` until a working report).
A temporary obstacle narrower than the edge leaves ``obstacle_width_m`` > 0 until it expires.

Kerbs sit on nodes, so both edges meeting at a kerb node carry it (one as ``kerb_v``, the next
as ``kerb_u``): charge a soft penalty on ``kerb_v_*`` only (crossed on arrival) and apply hard
limits to both ends. Elevator nodes are split into one stop per connected way; the ride between
two stops is an edge of kind ``elevator`` with ``length_m = 0`` (add the engine's elevator time).

A per-request cost over all edges, vectorised (the engine owns the real one)::

    g = get_graph("seoul-mapo-gongdeok")          # routing.graph.store
    e = g.edges
    climb = np.fmax(e["incline_pct"], e["grade_max_up_pct"])      # NaN only if both unknown
    kerb = np.fmax(e["kerb_u_cm"], e["kerb_v_cm"])
    impassable = (
        blocked_mask(g, now_s)
        | (e["kind"] == KIND.index("steps"))
        | (climb > profile.max_uphill_pct)                        # NaN compares False: unknown
        | (kerb > profile.max_kerb_height_cm)
        | (e["surface"] > SURFACE.index(profile.worst_surface))   # -1 (unknown) passes here
    )
    unknown_kerb = (e["kind"] == KIND.index("crossing")) & (e["kerb_u"] < 0) & (e["kerb_v"] < 0)
    cost_s = e["length_m"] / profile.speed_mps + unknown_kerb * profile.unknown_penalty_s
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from importers.osm.tags import BARRIER_VALUES
from mapping.models.vocab import Crossing, RampWheelchair, Smoothness, Surface

FORMAT_VERSION = 1
UNKNOWN = -1

KIND = (
    "sidewalk",
    "crossing",
    "traffic_island",
    "footway",
    "pedestrian",
    "living_street",
    "steps",
    "escalator",
    "elevator",
    "path",
    "cycleway",
    "bridleway",
    "track",
    "corridor",
    "platform",
    "service",
    "residential",
    "unclassified",
    "tertiary",
    "secondary",
    "primary",
    "trunk",
)
ROAD_KINDS = ("living_street", *KIND[KIND.index("service") :])  # walking shares the carriageway
SURFACE = tuple(Surface.values)  # best first
SMOOTHNESS = tuple(Smoothness.values)  # best first
KERB = ("raised", "lowered", "flush", "rolled", "no", "yes")  # yes = a kerb of unknown kind
CROSSING = tuple(Crossing.values)
WHEELCHAIR = ("no", "limited", "yes")
RAMP_WHEELCHAIR = tuple(RampWheelchair.values)
SIDEWALK = ("no", "left", "right", "both", "separate")
INCLINE_DIR = ("down", "level", "up")
BARRIER = (*BARRIER_VALUES, "other")
GRADE_SOURCE = ("none", "dem", "structure", "opensidewalks", "survey")
DATA_SOURCE = ("osm", "opensidewalks", "virtual")
# Bits of edge_structure.
BRIDGE, TUNNEL, COVERED, INDOOR = 1, 2, 4, 8

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "kind": KIND,
    "surface": SURFACE,
    "smoothness": SMOOTHNESS,
    "kerb": KERB,
    "crossing": CROSSING,
    "wheelchair": WHEELCHAIR,
    "ramp_wheelchair": RAMP_WHEELCHAIR,
    "sidewalk": SIDEWALK,
    "incline_dir": INCLINE_DIR,
    "barrier": BARRIER,
    "grade_source": GRADE_SOURCE,
    "source": DATA_SOURCE,
}

Reverse = Literal["same", "negate", "mirror_code"] | str  # or "swap:<other array>"


@dataclass(frozen=True)
class ArraySpec:
    name: str
    dtype: str
    unknown: float | int | None
    reverse: Reverse
    doc: str
    vocabulary: str | None = None


def _code(
    name: str, doc: str, vocabulary: str | None = None, reverse: Reverse = "same"
) -> ArraySpec:
    return ArraySpec(name, "int8", UNKNOWN, reverse, doc, vocabulary or name)


def _tri(name: str, doc: str) -> ArraySpec:
    return ArraySpec(name, "int8", UNKNOWN, "same", f"{doc} (tri-state)")


def _f32(name: str, doc: str, reverse: Reverse = "same") -> ArraySpec:
    return ArraySpec(name, "float32", float("nan"), reverse, doc)


# Per directed edge; the segment stage fills them for the segment's own direction and
# ``make_directed`` derives the reverse edge with the ``reverse`` rule (the one list of
# direction-dependent attributes, like unweaver's ``changes_sign``).
EDGE_ARRAYS: tuple[ArraySpec, ...] = (
    _f32("length_m", "length along the geometry (WGS84 geodesic)"),
    _code("kind", "sidewalk, crossing, steps, residential...", "kind"),
    _f32("incline_pct", "OSM incline=*, signed for the direction of travel", "negate"),
    _code("incline_dir", "OSM incline=up/down without a number", "incline_dir", "mirror_code"),
    _f32("grade_mean_pct", "DEM: net rise / length, signed for the direction of travel", "negate"),
    _f32(
        "grade_max_up_pct", "DEM: steepest 10 m window climbing (>= 0)", "swap:grade_max_down_pct"
    ),
    _f32(
        "grade_max_down_pct", "DEM: steepest 10 m window descending (>= 0)", "swap:grade_max_up_pct"
    ),
    _code("grade_source", "none, dem, structure (bridge/tunnel: skipped), opensidewalks, survey"),
    _f32("grade_confidence", "0..1; from DEM cell size and edge length (90 m DEM: about 0.1)"),
    _f32("width_m", "usable width"),
    _code("surface", "OSM surface, ranked best first", "surface"),
    _code("smoothness", "OSM smoothness, ranked best first", "smoothness"),
    _code("kerb_u", "kerb where the edge starts (-1: none mapped)", "kerb", "swap:kerb_v"),
    _code("kerb_v", "kerb where the edge ends (-1: none mapped)", "kerb", "swap:kerb_u"),
    _f32("kerb_u_cm", "kerb height where the edge starts", "swap:kerb_v_cm"),
    _f32("kerb_v_cm", "kerb height where the edge ends", "swap:kerb_u_cm"),
    ArraySpec("step_count", "int16", UNKNOWN, "same", "steps: number of steps"),
    _tri("handrail", "steps: handrail"),
    _code("ramp_wheelchair", "steps: ramp:wheelchair yes / separate / no", "ramp_wheelchair"),
    _tri("elevator", "an elevator ride (highway=elevator)"),
    _tri("escalator", "an escalator (highway=steps + conveying)"),
    _code("wheelchair", "OSM wheelchair=* on the way", "wheelchair"),
    _code("crossing", "crossing type on crossing edges", "crossing"),
    _tri("crossing_signals", "crossing with traffic signals"),
    _code("sidewalk", "roads: sidewalk=* as tagged", "sidewalk"),
    _tri("no_sidewalk", "walking this edge means walking on the carriageway"),
    _tri("lit", "lit=*"),
    _tri("tactile_paving", "tactile_paving=*"),
    ArraySpec("structure", "int8", 0, "same", "bits: 1 bridge, 2 tunnel, 4 covered, 8 indoor"),
)
OVERLAY_ARRAYS: tuple[ArraySpec, ...] = (
    ArraySpec("overlay_feature_id", "int64", UNKNOWN, "same", "AccessibilityFeature that won"),
    _f32("overlay_confidence", "that feature's confidence"),
    ArraySpec("overlay_observed_s", "float64", float("nan"), "same", "epoch s last verified"),
    _f32("obstacle_width_m", "passable width left by an obstacle (0 = blocked)"),
    ArraySpec("obstacle_until_s", "float64", float("nan"), "same", "epoch s; +inf = until cleared"),
)
EDGE_SPECS = {spec.name: spec for spec in EDGE_ARRAYS + OVERLAY_ARRAYS}


def empty(spec: ArraySpec, size: int) -> np.ndarray:
    """An array of ``size`` unknowns for ``spec``."""
    return np.full(size, spec.unknown if spec.unknown is not None else 0, dtype=spec.dtype)


def encode(vocabulary: tuple[str, ...], value: str | None) -> int:
    """Code of ``value`` in ``vocabulary``; unknown (-1) for None or values outside it."""
    if value is None:
        return UNKNOWN
    try:
        return vocabulary.index(value)
    except ValueError:
        return UNKNOWN


def tri(value: bool | None) -> int:
    return UNKNOWN if value is None else int(value)


def reverse_values(spec: ArraySpec, arrays: dict[str, np.ndarray], index: np.ndarray) -> np.ndarray:
    """Values of ``spec`` for edges running against ``index``'s segments."""
    rule = spec.reverse
    if rule.startswith("swap:"):
        return arrays[rule.removeprefix("swap:")][index]
    values = arrays[spec.name][index]
    if rule == "negate":
        return -values
    if rule == "mirror_code":
        size = len(VOCABULARIES[spec.vocabulary or spec.name])
        return np.where(values >= 0, size - 1 - values, values).astype(values.dtype)
    return values
