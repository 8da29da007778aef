"""The graph container passed from stage to stage and kept in memory by the engine."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class PedestrianGraph:
    """Flat arrays of nodes, segments and (after ``make_directed``) directed edges.

    ``nodes``, ``segments`` and ``edges`` map array names (without the table prefix) to numpy
    arrays; :mod:`routing.graph.contract` documents them. ``meta`` holds the build record
    (source hash, build time, stages run, vocabularies) and ``report`` the counters of the build.
    """

    nodes: dict[str, np.ndarray] = field(default_factory=dict)
    segments: dict[str, np.ndarray] = field(default_factory=dict)
    edges: dict[str, np.ndarray] = field(default_factory=dict)
    indptr: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    meta: dict[str, Any] = field(default_factory=dict)
    report: Counter[str] = field(default_factory=Counter)

    @property
    def node_count(self) -> int:
        return len(self.nodes.get("lon", ()))

    @property
    def segment_count(self) -> int:
        return len(self.segments.get("u", ()))

    @property
    def edge_count(self) -> int:
        return len(self.edges.get("u", ()))

    def ran(self, stage: str, **details: Any) -> None:
        """Record that a stage ran (osmnx-style provenance in the graph itself)."""
        self.meta.setdefault("stages", []).append({"stage": stage, **details})

    def has_run(self, stage: str) -> bool:
        return any(s["stage"] == stage for s in self.meta.get("stages", []))

    def require(self, stage: str, before: str) -> None:
        if not self.has_run(stage):
            msg = f"stage {before!r} needs {stage!r} to have run first"
            raise ValueError(msg)

    def edge_coords(self, edge: int) -> np.ndarray:
        """(n, 2) lon/lat of a directed edge, in its direction of travel."""
        seg = int(self.edges["segment"][edge])
        start, end = self.segments["geom_offsets"][seg], self.segments["geom_offsets"][seg + 1]
        coords = np.column_stack(
            (self.segments["geom_lon"][start:end], self.segments["geom_lat"][start:end])
        )
        return coords[::-1] if self.edges["reversed"][edge] else coords
