"""Why there is no route, and the smallest change of the profile that gives one.

For each family of hard constraints (kerbs, uphill, steps...) the edges blocked by that family
alone get the value that would have to be allowed (kerb height, climb...); a minimax search
(:func:`routing.engine.search.bottleneck`) then finds the smallest such value that connects the
origin to the destination: "reachable with max kerb height 6 cm". The nearest point the profile
can reach is found with a one-to-all search from the origin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from mapping.models.vocab import Smoothness, Surface
from routing.engine.costs import UNKNOWN_CONSTRAINT, Constraint
from routing.engine.planner import Endpoint
from routing.engine.prepared import Metric, PreparedGraph
from routing.engine.search import bottleneck, dijkstra_all
from routing.profiles import NUMERIC_PARAMS


@dataclass(frozen=True)
class Family:
    flag: Constraint
    parameter: str
    kind: str  # "max" (allow up to the value), "min" (allow down to it), "rank", "switch"


FAMILIES = (
    Family(Constraint.KERB, "max_kerb_height_cm", "max"),
    Family(Constraint.UPHILL, "max_uphill_pct", "max"),
    Family(Constraint.DOWNHILL, "max_downhill_pct", "max"),
    Family(Constraint.WIDTH, "min_width_m", "min"),
    Family(Constraint.STEPS, "max_steps", "max"),
    Family(Constraint.SURFACE, "worst_surface", "rank"),
    Family(Constraint.SMOOTHNESS, "worst_smoothness", "rank"),
    Family(Constraint.ESCALATOR, "allow_escalators", "switch"),
    Family(Constraint.ELEVATOR, "allow_elevators", "switch"),
    Family(Constraint.WHEELCHAIR_NO, "avoid_wheelchair_no", "switch"),
    Family(Constraint.BARRIER, "max_kerb_height_cm", "switch"),
    Family(Constraint.OBSTACLE, "obstacle", "switch"),
    *(
        Family(flag, f"unknown_policy.{name}", "switch")
        for name, flag in UNKNOWN_CONSTRAINT.items()
    ),
)


def constraint_labels() -> dict[Constraint, str]:
    return {
        Constraint.KERB: _("kerb height"),
        Constraint.UPHILL: _("uphill slope"),
        Constraint.DOWNHILL: _("downhill slope"),
        Constraint.WIDTH: _("path width"),
        Constraint.STEPS: _("steps"),
        Constraint.SURFACE: _("surface"),
        Constraint.SMOOTHNESS: _("smoothness"),
        Constraint.ESCALATOR: _("escalators not allowed"),
        Constraint.ELEVATOR: _("elevators not allowed"),
        Constraint.WHEELCHAIR_NO: _("ways mapped as not wheelchair accessible"),
        Constraint.BARRIER: _("barriers (stiles, turnstiles)"),
        Constraint.OBSTACLE: _("a reported obstacle"),
        Constraint.UNKNOWN_INCLINE: _("unknown slope (strict)"),
        Constraint.UNKNOWN_KERB: _("unknown kerbs (strict)"),
        Constraint.UNKNOWN_WIDTH: _("unknown width (strict)"),
        Constraint.UNKNOWN_SURFACE: _("unknown surface (strict)"),
        Constraint.UNKNOWN_SMOOTHNESS: _("unknown smoothness (strict)"),
        Constraint.UNKNOWN_STEPS: _("steps of unknown count (strict)"),
    }


def _need(metric: Metric, family: Family) -> np.ndarray:
    """Per edge: 0 if passable, the value to allow if only ``family`` blocks it, inf otherwise."""
    blocked = metric.costs.blocked_by
    ev = metric.values
    only = blocked == np.uint32(family.flag)
    value: np.ndarray
    if family.flag == Constraint.KERB:
        value = ev.kerb_cm
    elif family.flag == Constraint.UPHILL:
        value = ev.climb_pct
    elif family.flag == Constraint.DOWNHILL:
        value = ev.descent_pct
    elif family.flag == Constraint.WIDTH:
        value = -ev.width_m  # minimax on the negated width maximises the narrowest width
    elif family.flag == Constraint.STEPS:
        value = np.where(ev.step_count >= 0, ev.step_count, np.inf)
    elif family.flag == Constraint.SURFACE:
        value = ev.surface
    elif family.flag == Constraint.SMOOTHNESS:
        value = ev.smoothness
    else:
        value = np.ones(len(blocked))
    need = np.where(only, value.astype(np.float64), np.inf)
    base = -np.inf if family.kind == "min" else 0.0
    return np.where(blocked == 0, base, need)


def _relaxation_text(family: Family, value: float) -> tuple[Any, str]:
    name = family.parameter
    if family.kind == "max":
        spec = NUMERIC_PARAMS[name]
        rounded = math.ceil(value * 2) / 2 if name != "max_steps" else math.ceil(value)
        if rounded > spec.maximum:
            return None, ""
        messages = {
            "max_kerb_height_cm": _("reachable with max kerb height %(v)s cm"),
            "max_uphill_pct": _("reachable with max uphill %(v)s %%"),
            "max_downhill_pct": _("reachable with max downhill %(v)s %%"),
            "max_steps": _("reachable if you can manage %(v)s steps"),
        }
        return rounded, messages[name] % {"v": f"{rounded:g}"}
    if family.kind == "min":
        width = math.floor(-value * 20) / 20
        return width, _("reachable with min width %(v)s m") % {"v": f"{width:g}"}
    if family.kind == "rank":
        vocabulary = Surface.values if family.flag == Constraint.SURFACE else Smoothness.values
        worst = vocabulary[int(value)]
        if family.flag == Constraint.SURFACE:
            return worst, _("reachable if you accept the surface %(v)s") % {"v": worst}
        return worst, _("reachable if you accept smoothness %(v)s") % {"v": worst}
    labels = constraint_labels()
    if family.parameter.startswith("unknown_policy."):
        return "penalize", _("reachable if %(what)s is penalised instead") % {
            "what": labels[family.flag]
        }
    if family.flag == Constraint.OBSTACLE:
        return None, _("reachable once the reported obstacle is cleared")
    if family.flag == Constraint.WHEELCHAIR_NO:
        return False, _("reachable if ways mapped as not wheelchair accessible are allowed")
    return True, _("reachable if you allow %(what)s") % {"what": labels[family.flag]}


def relaxations(
    pg: PreparedGraph, metric: Metric, origin: Endpoint, destination: Endpoint
) -> list[dict[str, Any]]:
    """Every single constraint whose relaxation gives a route, with the smallest value."""
    present = (
        int(np.bitwise_or.reduce(metric.costs.blocked_by)) if len(metric.costs.blocked_by) else 0
    )
    sources, targets = _all_seed_nodes(pg, origin), _all_seed_nodes(pg, destination)
    labels = constraint_labels()
    found = []
    for family in FAMILIES:
        if not present & int(family.flag):
            continue
        need = _need(metric, family)
        start = -np.inf if family.kind == "min" else 0.0
        value, _node = bottleneck(pg.indptr, pg.heads, need, sources, targets, start)
        if not math.isfinite(value):
            continue
        setting, message = _relaxation_text(family, float(value))
        if not message:
            continue
        found.append(
            {
                "constraint": family.flag.name.lower(),
                "label": labels[family.flag],
                "parameter": family.parameter,
                "value": setting,
                "message": message,
            }
        )
    return found


def _all_seed_nodes(pg: PreparedGraph, end: Endpoint) -> np.ndarray:
    """Both nodes of the snapped segment, passable or not (the relaxation may open it)."""
    if end.snap is None:
        return end.nodes
    seg = pg.graph.segments
    return np.array(
        [int(seg["u"][end.snap.segment]), int(seg["v"][end.snap.segment])], dtype=np.int64
    )


def nearest_reachable(
    pg: PreparedGraph, metric: Metric, origin: Endpoint, destination: Endpoint
) -> dict[str, Any] | None:
    """The reachable node closest to the destination, with the time to get there."""
    dist, _pred = dijkstra_all(
        pg.indptr, pg.heads, pg.edge_ids, metric.costs.total_s, origin.nodes, origin.costs, np.inf
    )
    reached = np.flatnonzero(np.isfinite(dist))
    if reached.size == 0:
        return None
    x, y = pg.snap_index.projection.to_xy(
        np.asarray(pg.graph.nodes["lon"])[reached], np.asarray(pg.graph.nodes["lat"])[reached]
    )
    dx, dy = pg.snap_index.projection.to_xy(destination.lon, destination.lat)
    gap = np.hypot(x - dx, y - dy)
    best = int(np.argmin(gap))
    node = int(reached[best])
    return {
        "lon": round(float(pg.graph.nodes["lon"][node]), 7),
        "lat": round(float(pg.graph.nodes["lat"][node]), 7),
        "distance_to_destination_m": round(float(gap[best]), 1),
        "duration_s": round(float(dist[node]), 1),
        "node": node,
    }


def combined_cut(
    pg: PreparedGraph, metric: Metric, origin: Endpoint, destination: Endpoint
) -> list[Constraint]:
    """When no single relaxation is enough: the constraints met on the least-blocked path
    (blocked edges cost ten times their length over the flat speed), or [] if none connects."""
    blocked = metric.costs.blocked_by
    length = metric.values.length_m.astype(np.float64)
    detour = np.where(
        blocked == 0, metric.costs.total_s, 10 * length / metric.profile.speed_mps + 1
    )
    sources = _all_seed_nodes(pg, origin)
    dist, pred = dijkstra_all(
        pg.indptr, pg.heads, pg.edge_ids, detour, sources, np.zeros(len(sources)), np.inf
    )
    targets = _all_seed_nodes(pg, destination)
    node = int(targets[np.argmin(dist[targets])])
    if not np.isfinite(dist[node]):
        return []
    bits = 0
    while pred[node] >= 0:
        bits |= int(blocked[pred[node]])
        node = int(pg.tails[pred[node]])
    return [flag for flag in Constraint if bits & int(flag)]


def explain_no_route(
    pg: PreparedGraph, metric: Metric, origin: Endpoint, destination: Endpoint
) -> dict[str, Any]:
    """The body of a NoRoute error: what cuts the destination off, how to relax, where to go."""
    options = relaxations(pg, metric, origin, destination)
    nearest = nearest_reachable(pg, metric, origin, destination)
    labels = constraint_labels()
    cut_off_by = [o["constraint"] for o in options]
    if options:
        detail = _(
            "No route for this profile: the destination is cut off by %(what)s; %(fix)s."
        ) % {"what": ", ".join(o["label"] for o in options), "fix": options[0]["message"]}
    elif combined := combined_cut(pg, metric, origin, destination):
        cut_off_by = [flag.name.lower() for flag in combined]
        detail = _(
            "No route for this profile: no single change is enough; the way is cut off by "
            "%(what)s together."
        ) % {"what": ", ".join(labels[flag] for flag in combined)}
    else:
        detail = _(
            "No route: the destination is not connected to the origin in the map data, "
            "whatever the profile."
        )
    return {
        "detail": detail,
        "cut_off_by": cut_off_by,
        "relaxations": options,
        "nearest_reachable": nearest,
    }
