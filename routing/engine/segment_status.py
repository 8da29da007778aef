"""Per segment and direction: passable, passable with warnings, or blocked for a profile, and why.

Computed with the engine's own code (:func:`routing.engine.attributes.edge_values`,
:func:`routing.engine.costs.hard_constraints`, :func:`routing.engine.describe.edge_warnings`),
so it is what a route search sees. The network tile layer evaluates the same rules in SQL on the
``routing_graphedge`` rows (:mod:`routing.layers.network`); ``tests/routing/test_network_layer.py``
checks that both agree on the demo graphs for every preset, and the layer uses this module for
the segments whose crowd reports a profile ignores (their OSM values live only in the arrays).

Directions follow the segment's geometry: ``fwd`` is u -> v (the drawing direction), ``bwd``
is v -> u. A direction that does not exist (one-way segment) has status ``NONE``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routing.engine.attributes import EdgeValues, edge_values
from routing.engine.costs import Constraint, hard_constraints, unknown_masks
from routing.engine.describe import edge_warnings
from routing.graph.graph import PedestrianGraph
from routing.profiles import UNKNOWN_ATTRIBUTES, Profile

NONE, PASSABLE, WARNING, BLOCKED = -1, 0, 1, 2
STATUS_NAMES = {PASSABLE: "passable", WARNING: "warning", BLOCKED: "blocked"}
# Warnings that route answers raise with severity "warning": they make an edge amber. Info-level
# notes (unknown slope, width or surface; an elevator) are listed in ``unknown`` or left out.
WARNINGS = (
    "unknown_kerb",
    "coarse_slope",
    "near_limit",
    "no_sidewalk",
    "stale_report",
    "low_confidence",
    "obstacle",
    "ignored_report",
)
# ``ignored_report`` is info in route answers; here it only ever accompanies another status
# (it explains why the map differs from what the crowd reported) and never makes an edge amber.
AMBER_WARNINGS = WARNINGS[:-1]
CONSTRAINT_NAMES = tuple(str(flag.name).lower() for flag in Constraint)


@dataclass
class SegmentStatus:
    """Arrays over segments (int8 statuses, uint32 bit sets)."""

    status_fwd: np.ndarray
    status_bwd: np.ndarray
    blocked_fwd: np.ndarray  # bits of Constraint
    blocked_bwd: np.ndarray
    warnings_fwd: np.ndarray  # bits: 1 << WARNINGS.index(code)
    warnings_bwd: np.ndarray
    unknown: np.ndarray  # bits: 1 << UNKNOWN_ATTRIBUTES.index(attribute), either direction


def _bits(masks: dict[str, np.ndarray], names: tuple[str, ...], size: int) -> np.ndarray:
    bits = np.zeros(size, dtype=np.uint32)
    for i, name in enumerate(names):
        bits[masks[name]] |= np.uint32(1 << i)
    return bits


def directed_status(
    values: EdgeValues, profile: Profile, at_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per directed edge: status, constraint bits, warning bits and unknown-attribute bits."""
    size = len(values.length_m)
    unknown = unknown_masks(values)
    blocked = hard_constraints(values, profile, at_s, unknown)
    masks = edge_warnings(values, profile, slice(None), at_s)
    masks["unknown_kerb"] = unknown["kerb"]
    warnings = _bits(masks, WARNINGS, size)
    amber = (warnings & np.uint32(sum(1 << WARNINGS.index(w) for w in AMBER_WARNINGS))) != 0
    status = np.where(blocked != 0, BLOCKED, np.where(amber, WARNING, PASSABLE)).astype(np.int8)
    return status, blocked, warnings, _bits(unknown, UNKNOWN_ATTRIBUTES, size)


def segment_status(graph: PedestrianGraph, profile: Profile, at_s: float) -> SegmentStatus:
    """Status of every segment of ``graph`` in both directions for ``profile`` at ``at_s``."""
    values = edge_values(graph, profile.min_confidence)
    status, blocked, warnings, unknown = directed_status(values, profile, at_s)
    seg = graph.segments
    out = {}
    for name, edges in (("fwd", seg["forward_edge"]), ("bwd", seg["backward_edge"])):
        edges = np.asarray(edges)
        exists = edges >= 0
        pick = np.where(exists, edges, 0)
        out[f"status_{name}"] = np.where(exists, status[pick], NONE).astype(np.int8)
        out[f"blocked_{name}"] = np.where(exists, blocked[pick], 0).astype(np.uint32)
        out[f"warnings_{name}"] = np.where(exists, warnings[pick], 0).astype(np.uint32)
        out[f"unknown_{name}"] = np.where(exists, unknown[pick], 0).astype(np.uint32)
    return SegmentStatus(
        status_fwd=out["status_fwd"],
        status_bwd=out["status_bwd"],
        blocked_fwd=out["blocked_fwd"],
        blocked_bwd=out["blocked_bwd"],
        warnings_fwd=out["warnings_fwd"],
        warnings_bwd=out["warnings_bwd"],
        unknown=out["unknown_fwd"] | out["unknown_bwd"],
    )


def overall(status_fwd: int, status_bwd: int) -> int:
    """One status for a segment: blocked only if no direction is passable; any difference
    between the directions (passable one way only) or any warning makes it a warning."""
    present = [s for s in (status_fwd, status_bwd) if s != NONE]
    if all(s == BLOCKED for s in present):
        return BLOCKED
    if all(s == PASSABLE for s in present):
        return PASSABLE
    return WARNING


def names(bits: int, vocabulary: tuple[str, ...]) -> list[str]:
    return [name for i, name in enumerate(vocabulary) if bits & (1 << i)]
