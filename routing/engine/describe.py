"""What a route is made of, in the user's terms: per-segment attributes, warnings, what it avoided.

Warnings are honest about the data: attributes unknown on the route, crowd reports that are
old, of low confidence or ignored (below the profile's min_confidence), map data not edited for
years, stretches close to the profile's limits, roads without sidewalks, coarse elevation data
that may hide a slope steeper than the limit. "Avoided" compares with the plain walking route
between the same points: the barriers on it that this profile cannot pass.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from routing.engine.attributes import EdgeValues
from routing.engine.costs import Constraint
from routing.engine.planner import Path, Piece
from routing.engine.prepared import Metric, PreparedGraph
from routing.graph.contract import DATA_SOURCE, KERB, KIND, SMOOTHNESS, SURFACE
from routing.profiles import Profile

DAY_S = 86_400.0
LOW_CONFIDENCE = 0.5
NEAR_LIMIT_SHARE = 0.85
NEAR_KERB_CM = 1.0
NEAR_WIDTH_M = 0.15


def _num(value: float, digits: int = 1) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _code(vocabulary: tuple[str, ...], code: int) -> str | None:
    return vocabulary[code] if code >= 0 else None


def _kerb(code: int, height: float) -> dict[str, Any] | None:
    if code < 0 and not math.isfinite(height):
        return None
    return {"kind": _code(KERB, code), "height_cm": _num(height)}


def piece_geometry(pg: PreparedGraph, piece: Piece) -> list[list[float]]:
    """The travelled part of an edge as [lon, lat] pairs (cut at the split fractions)."""
    coords = pg.graph.edge_coords(piece.edge)
    if piece.start <= 0.0 and piece.stop >= 1.0:
        return [[round(x, 7), round(y, 7)] for x, y in coords.tolist()]
    step = np.hypot(
        np.diff(coords[:, 0]) * math.cos(math.radians(coords[0, 1])), np.diff(coords[:, 1])
    )
    along = np.concatenate(([0.0], np.cumsum(step)))
    total = along[-1] or 1.0
    a, b = piece.start * total, piece.stop * total
    inside = coords[(along > a) & (along < b)]
    lon = np.interp([a, b], along, coords[:, 0])
    lat = np.interp([a, b], along, coords[:, 1])
    points = [[lon[0], lat[0]], *inside.tolist(), [lon[1], lat[1]]]
    return [[round(x, 7), round(y, 7)] for x, y in points]


def segment_properties(
    pg: PreparedGraph, metric: Metric, piece: Piece, now_s: float
) -> dict[str, Any]:
    """Attributes of one travelled piece, for the direction of travel."""
    e, ev, edges = piece.edge, metric.values, pg.graph.edges
    share = piece.stop - piece.start
    segment = int(edges["segment"][e])
    feature_id = int(ev.overlay_feature_id[e])
    observed = float(ev.overlay_observed_s[e])
    osm_ts = int(pg.graph.segments["osm_timestamp_s"][segment])
    crowd = feature_id >= 0 and not ev.ignored[e]
    age_s = (
        (now_s - observed)
        if crowd and math.isfinite(observed)
        else (now_s - osm_ts if osm_ts > 0 else math.nan)
    )
    unknown = [name for name, mask in metric.costs.unknown.items() if mask[e]]
    return {
        "edge": e,
        "osm_way_id": int(pg.graph.segments["osm_way_id"][segment]),
        "kind": KIND[int(ev.kind[e])],
        "length_m": _num(float(ev.length_m[e]) * share),
        "duration_s": _num(
            float(metric.costs.run_s[e]) * share
            + (float(metric.costs.end_s[e]) if piece.stop >= 1 else 0.0)
        ),
        "incline_pct": _num(float(edges["incline_pct"][e])),
        "grade_mean_pct": _num(float(edges["grade_mean_pct"][e])),
        "max_climb_pct": _num(float(ev.climb_pct[e])),
        "max_descent_pct": _num(float(ev.descent_pct[e])),
        "surface": _code(SURFACE, int(ev.surface[e])),
        "smoothness": _code(SMOOTHNESS, int(ev.smoothness[e])),
        "width_m": _num(float(ev.width_m[e]), 2),
        "kerb_start": _kerb(int(edges["kerb_u"][e]), float(edges["kerb_u_cm"][e]))
        if piece.start <= 0
        else None,
        "kerb_end": _kerb(int(edges["kerb_v"][e]), float(edges["kerb_v_cm"][e]))
        if piece.stop >= 1
        else None,
        "step_count": int(ev.step_count[e]) if ev.is_steps[e] and ev.step_count[e] >= 0 else None,
        "crossing": bool(ev.is_crossing[e]),
        "elevator": bool(ev.is_elevator[e]),
        "source": "crowd"
        if crowd
        else _code(DATA_SOURCE, int(pg.graph.segments["source"][segment])),
        "feature_id": feature_id if crowd else None,
        "confidence": _num(float(ev.overlay_confidence[e]), 2) if crowd else None,
        "age_days": None if not math.isfinite(age_s) else int(age_s // DAY_S),
        "unknown": unknown,
    }


def ascent_descent(pg: PreparedGraph, pieces: list[Piece]) -> tuple[float | None, float | None]:
    """Metres climbed and descended: DEM node elevations, else tagged inclines; None if unknown."""
    elevation = np.asarray(pg.graph.nodes["elevation_m"])
    up = down = 0.0
    known = False
    for piece in pieces:
        e = piece.edge
        share = piece.stop - piece.start
        rise = float(elevation[pg.heads[e]] - elevation[pg.tails[e]])
        if not math.isfinite(rise):
            incline = float(pg.graph.edges["incline_pct"][e])
            rise = (
                incline / 100 * float(pg.graph.edges["length_m"][e])
                if math.isfinite(incline)
                else math.nan
            )
        if math.isfinite(rise):
            known = True
            up += max(rise, 0.0) * share
            down += max(-rise, 0.0) * share
    return (round(up, 1), round(down, 1)) if known else (None, None)


def edge_warnings(
    ev: EdgeValues, profile: Profile, edges: np.ndarray | slice, now_s: float
) -> dict[str, np.ndarray]:
    """Per-edge masks of the data warnings for ``edges`` (indices, or ``slice(None)`` for all).

    The one definition of which edge raises which warning: route answers summarise these masks
    over the route, the network tile layer shows them edge by edge.
    """
    near = (
        (ev.climb_pct[edges] >= NEAR_LIMIT_SHARE * profile.max_uphill_pct)
        & (ev.climb_pct[edges] > 0)
        | (ev.descent_pct[edges] >= NEAR_LIMIT_SHARE * profile.max_downhill_pct)
        & (ev.descent_pct[edges] > 0)
        | (ev.kerb_cm[edges] >= profile.max_kerb_height_cm - NEAR_KERB_CM) & (ev.kerb_cm[edges] > 0)
        | (ev.width_m[edges] <= profile.min_width_m + NEAR_WIDTH_M)
    )
    crowd = (ev.overlay_feature_id[edges] >= 0) & ~ev.ignored[edges]
    return {
        "coarse_slope": (ev.climb_hint_pct[edges] > profile.max_uphill_pct)
        | (ev.descent_hint_pct[edges] > profile.max_downhill_pct),
        "near_limit": near,
        "no_sidewalk": ev.no_sidewalk[edges] | ev.sidewalk_unknown[edges],
        "stale_report": crowd
        & (now_s - ev.overlay_observed_s[edges] > settings.ROUTING_STALE_DAYS * DAY_S),
        "low_confidence": crowd & (ev.overlay_confidence[edges] < LOW_CONFIDENCE),
        "ignored_report": ev.ignored[edges],
        "obstacle": np.isfinite(ev.obstacle_width_m[edges])
        & (ev.obstacle_until_s[edges] > now_s)
        & (ev.obstacle_width_m[edges] > 0),
        "elevator": ev.is_elevator[edges],
        "crowd": crowd,
    }


def warnings(
    pg: PreparedGraph, metric: Metric, pieces: list[Piece], now_s: float
) -> list[dict[str, Any]]:
    """Warnings about the data on the route and the stretches close to the profile's limits."""
    edges = np.array([p.edge for p in pieces], dtype=np.int64)
    share = np.array([p.stop - p.start for p in pieces])
    ev, profile = metric.values, metric.profile
    length = ev.length_m[edges] * share
    total = float(length.sum()) or 1.0
    masks = edge_warnings(ev, profile, edges, now_s)
    out: list[dict[str, Any]] = []

    def add(code: str, severity: str, message: str, where: np.ndarray) -> None:
        out.append(
            {
                "code": code,
                "severity": severity,
                "message": message,
                "segments": np.flatnonzero(where).tolist(),
            }
        )

    unknown = metric.costs.unknown
    kerb_unknown = unknown["kerb"][edges]
    if kerb_unknown.any():
        n = int(kerb_unknown.sum())
        add(
            "unknown_kerb",
            "warning",
            ngettext(
                "Kerb height unknown at %(n)d crossing", "Kerb height unknown at %(n)d crossings", n
            )
            % {"n": n},
            kerb_unknown,
        )
    for attribute, label in (
        ("incline", _("slope")),
        ("width", _("width")),
        ("surface", _("surface")),
    ):
        mask = unknown[attribute][edges]
        pct = 100 * float(length[mask].sum()) / total
        if pct >= 10:
            add(
                f"unknown_{attribute}",
                "info",
                _("%(what)s unknown on %(pct)d%% of the route")
                % {"what": label, "pct": round(pct)},
                mask,
            )
    hint = masks["coarse_slope"]
    if hint.any():
        add(
            "coarse_slope",
            "warning",
            _(
                "Coarse elevation data suggests slopes steeper than your limit on %(n)d segments; "
                "the slope there is not measured"
            )
            % {"n": int(hint.sum())},
            hint,
        )
    near = masks["near_limit"]
    if near.any():
        add(
            "near_limit",
            "warning",
            ngettext(
                "%(n)d stretch close to your limits",
                "%(n)d stretches close to your limits",
                int(near.sum()),
            )
            % {"n": int(near.sum())},
            near,
        )
    road = masks["no_sidewalk"]
    if road.any():
        add(
            "no_sidewalk",
            "warning",
            _("%(m)d m on roads without a mapped sidewalk")
            % {"m": round(float(length[road].sum()))},
            road,
        )
    crowd = masks["crowd"]
    old = masks["stale_report"]
    if old.any():
        add(
            "stale_report",
            "warning",
            _("Crowd reports on %(n)d segments were last verified over %(y)s years ago")
            % {"n": int(old.sum()), "y": f"{settings.ROUTING_STALE_DAYS / 365:g}"},
            old,
        )
    low = masks["low_confidence"]
    if low.any():
        add(
            "low_confidence",
            "warning",
            _("Low-confidence crowd reports on %(n)d segments") % {"n": int(low.sum())},
            low,
        )
    ignored = masks["ignored_report"]
    if ignored.any():
        add(
            "ignored_report",
            "info",
            _("%(n)d crowd reports below your minimum confidence were ignored here")
            % {"n": int(ignored.sum())},
            ignored,
        )
    osm_ts = np.asarray(pg.graph.segments["osm_timestamp_s"])[
        np.asarray(pg.graph.edges["segment"])[edges]
    ]
    stale = (osm_ts > 0) & (now_s - osm_ts > settings.ROUTING_STALE_OSM_DAYS * DAY_S) & ~crowd
    pct = 100 * float(length[stale].sum()) / total
    if pct >= 20:
        add(
            "stale_map",
            "info",
            _("Map data on %(pct)d%% of the route was last edited over %(y)s years ago")
            % {"pct": round(pct), "y": f"{settings.ROUTING_STALE_OSM_DAYS / 365:g}"},
            stale,
        )
    narrowed = masks["obstacle"]
    if narrowed.any():
        add("obstacle", "warning", _("A reported obstacle narrows the path"), narrowed)
    lift = masks["elevator"]
    if lift.any():
        add("elevator", "info", _("The route uses an elevator; check that it is working"), lift)
    return out


def _barrier_count(pg: PreparedGraph, metric: Metric, path: Path) -> Counter[str]:
    """Distinct barriers on a path that ``metric``'s profile cannot pass, by kind."""
    blocked = metric.costs.blocked_by[path.edges]
    segments = np.asarray(pg.graph.edges["segment"])[path.edges]
    counts: Counter[str] = Counter()
    seen: set[tuple[str, int]] = set()
    for bits, segment, edge in zip(
        blocked.tolist(), segments.tolist(), path.edges.tolist(), strict=True
    ):
        for flag in Constraint:
            if bits & int(flag):
                where = (
                    int(pg.heads[edge])
                    if flag in (Constraint.KERB, Constraint.BARRIER)
                    else segment
                )
                name = str(flag.name)
                if (name, where) not in seen:
                    seen.add((name, where))
                    counts[name.lower()] += 1
    return counts


def avoided_text(counts: Counter[str]) -> str:
    phrases = {
        "steps": lambda n: ngettext("%(n)d flight of steps", "%(n)d flights of steps", n),
        "kerb": lambda n: ngettext("%(n)d raised kerb", "%(n)d raised kerbs", n),
        "uphill": lambda n: ngettext("%(n)d steep climb", "%(n)d steep climbs", n),
        "downhill": lambda n: ngettext("%(n)d steep descent", "%(n)d steep descents", n),
        "width": lambda n: ngettext("%(n)d narrow passage", "%(n)d narrow passages", n),
        "surface": lambda n: ngettext("%(n)d rough surface", "%(n)d rough surfaces", n),
        "smoothness": lambda n: ngettext("%(n)d uneven stretch", "%(n)d uneven stretches", n),
        "escalator": lambda n: ngettext("%(n)d escalator", "%(n)d escalators", n),
        "barrier": lambda n: ngettext("%(n)d barrier", "%(n)d barriers", n),
        "obstacle": lambda n: ngettext("%(n)d reported obstacle", "%(n)d reported obstacles", n),
    }
    parts = [phrases[k](n) % {"n": n} for k, n in counts.items() if k in phrases]
    other = sum(n for k, n in counts.items() if k not in phrases)
    if other:
        parts.append(
            ngettext("%(n)d stretch with unknown data", "%(n)d stretches with unknown data", other)
            % {"n": other}
        )
    return ", ".join(parts)


def avoided(
    pg: PreparedGraph, metric: Metric, walking: Path | None, route: Path, walking_metric: Metric
) -> dict[str, Any]:
    """What the plain walking route has that this route avoids, and the detour it costs."""
    if walking is None:
        return {"counts": {}, "text": "", "extra_length_m": None}
    counts = _barrier_count(pg, metric, walking)
    length = walking_metric.values.length_m
    walk_m = sum(float(length[p.edge]) * (p.stop - p.start) for p in walking.pieces())
    route_m = sum(float(length[p.edge]) * (p.stop - p.start) for p in route.pieces())
    text = (
        avoided_text(counts)
        if counts
        else _("nothing: the plain walking route is passable for you")
    )
    return {
        "counts": dict(counts),
        "text": text,
        "extra_length_m": round(route_m - walk_m, 1),
        "walking_length_m": round(walk_m, 1),
    }


def now_s() -> float:
    return time.time()
