"""A profile's cost per directed edge: hard constraints apart from soft costs, vectorised.

Cost is travel time in seconds. ``run_s`` is the part proportional to the distance travelled
(length over a slope-dependent speed, times soft factors) and ``end_s`` the fixed part charged
on arriving at the edge's end (crossing wait, elevator ride, the kerb climbed there, unknown
data penalties), so a partly travelled edge (snapped origin or destination) costs its share.
An edge blocked by a hard constraint costs ``inf``; ``blocked_by`` says which constraints
(bits of :class:`Constraint`) block it, for the "why is there no route" answer.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np

from mapping.models.vocab import Smoothness, Surface
from routing.engine.attributes import BARRIER_STEP_CM, EdgeValues
from routing.profiles import Profile

# Fixed delays (AccessMap's production profile uses 30 s per crossing and 45 s per elevator).
CROSSING_S = 15.0
SIGNAL_WAIT_S = 30.0
ELEVATOR_S = 45.0
STEP_S = 2.0  # per step, for profiles that may climb them
KERB_S_PER_CM = 2.0  # a kerb within your limit still costs effort
RAMP_FACTOR = 1.5  # steps with a ramp alongside: slower than level ground
ROUGH_SURFACE_FACTOR = 1.2
ROUGH_FROM = Surface.values.index(Surface.SETT.value)
# Speed falls to 1/5 at your uphill limit (AccessMap's curve) and to 1/3 at your downhill limit;
# a gentle downhill up to 2 % is not slower than the flat.
UPHILL_SLOWDOWN = 5.0
DOWNHILL_SLOWDOWN = 3.0
FREE_DOWNHILL_PCT = 2.0
# Unknown-data penalties of length-based attributes reach their full value on 50 m of edge.
PENALTY_LENGTH_M = 50.0
# Street avoidance 1.0 makes a road without a sidewalk 5 times as costly (unknown: 3 times).
NO_SIDEWALK_FACTOR = 4.0
UNKNOWN_SIDEWALK_FACTOR = 2.0


class Constraint(enum.IntFlag):
    """Hard constraints; an edge's ``blocked_by`` is the union of those it breaks."""

    STEPS = 1
    ESCALATOR = 2
    ELEVATOR = 4
    UPHILL = 8
    DOWNHILL = 16
    KERB = 32
    WIDTH = 64
    SURFACE = 128
    SMOOTHNESS = 256
    WHEELCHAIR_NO = 512
    BARRIER = 1024
    OBSTACLE = 2048
    UNKNOWN_INCLINE = 4096
    UNKNOWN_KERB = 8192
    UNKNOWN_WIDTH = 16384
    UNKNOWN_SURFACE = 32768
    UNKNOWN_SMOOTHNESS = 65536
    UNKNOWN_STEPS = 131072


UNKNOWN_CONSTRAINT = {
    "incline": Constraint.UNKNOWN_INCLINE,
    "kerb": Constraint.UNKNOWN_KERB,
    "width": Constraint.UNKNOWN_WIDTH,
    "surface": Constraint.UNKNOWN_SURFACE,
    "smoothness": Constraint.UNKNOWN_SMOOTHNESS,
    "steps": Constraint.UNKNOWN_STEPS,
}


@dataclass
class EdgeCosts:
    run_s: np.ndarray  # float64, inf where blocked
    end_s: np.ndarray  # float64
    total_s: np.ndarray  # run + end, inf where blocked
    blocked_by: np.ndarray  # uint32 bits of Constraint
    unknown: dict[str, np.ndarray]  # attribute -> mask of edges where it is unknown


def unknown_masks(ev: EdgeValues) -> dict[str, np.ndarray]:
    steps = ev.is_steps & ~ev.steps_ramp
    return {
        "incline": ev.incline_unknown,
        "kerb": ev.kerb_unknown,
        "width": np.isnan(ev.width_m),
        "surface": ev.surface < 0,
        "smoothness": ev.smoothness < 0,
        "steps": steps & (ev.step_count < 0),
    }


def obstacle_width(ev: EdgeValues, at_s: float) -> np.ndarray:
    """Width left by obstacles in force at ``at_s`` (NaN where none)."""
    return np.where(ev.obstacle_until_s > at_s, ev.obstacle_width_m, np.float32(np.nan))


def hard_constraints(
    ev: EdgeValues, profile: Profile, at_s: float, unknown: dict[str, np.ndarray]
) -> np.ndarray:
    """Bits of the constraints each directed edge breaks (0 = passable)."""
    bits = np.zeros(len(ev.length_m), dtype=np.uint32)

    def add(mask: np.ndarray, flag: Constraint) -> None:
        bits[mask] |= np.uint32(flag)

    steps = ev.is_steps & ~ev.steps_ramp
    if profile.max_steps == 0:
        add(steps, Constraint.STEPS)
    else:
        add(steps & (ev.step_count > profile.max_steps), Constraint.STEPS)
    if not profile.allow_escalators:
        add(ev.is_escalator, Constraint.ESCALATOR)
    if not profile.allow_elevators:
        add(ev.is_elevator, Constraint.ELEVATOR)
    add(ev.climb_pct > profile.max_uphill_pct, Constraint.UPHILL)  # NaN compares False
    add(ev.descent_pct > profile.max_downhill_pct, Constraint.DOWNHILL)
    add(ev.kerb_cm > profile.max_kerb_height_cm, Constraint.KERB)
    add(ev.width_m < profile.min_width_m, Constraint.WIDTH)
    add(ev.surface > Surface.values.index(profile.worst_surface), Constraint.SURFACE)
    add(ev.smoothness > Smoothness.values.index(profile.worst_smoothness), Constraint.SMOOTHNESS)
    if profile.avoid_wheelchair_no:
        add(ev.wheelchair_no, Constraint.WHEELCHAIR_NO)
    if profile.max_kerb_height_cm < BARRIER_STEP_CM:
        add(ev.barrier_at_v, Constraint.BARRIER)
    left = obstacle_width(ev, at_s)
    add((left == 0) | (left < profile.min_width_m), Constraint.OBSTACLE)
    for attribute, policy in profile.unknown_policy.items():
        if policy == "strict" and attribute in unknown:
            mask = unknown[attribute]
            if attribute == "steps" and profile.max_steps == 0:
                continue  # steps are refused anyway
            add(mask, UNKNOWN_CONSTRAINT[attribute])
    return bits


def speed_factor(grade_pct: np.ndarray, profile: Profile) -> np.ndarray:
    """Slope-dependent share of the flat speed, per direction (<= 1: never faster than flat)."""
    up = np.power(UPHILL_SLOWDOWN, -np.clip(grade_pct, 0, None) / max(profile.max_uphill_pct, 0.5))
    steep_down = np.clip(-grade_pct - FREE_DOWNHILL_PCT, 0, None)
    down = np.power(DOWNHILL_SLOWDOWN, -steep_down / max(profile.max_downhill_pct, 0.5))
    return np.where(grade_pct >= 0, up, down).astype(np.float64)


def _penalties(ev: EdgeValues, profile: Profile, unknown: dict[str, np.ndarray]) -> np.ndarray:
    length_share = np.minimum(ev.length_m / PENALTY_LENGTH_M, 1.0)
    penalty = np.zeros(len(ev.length_m), dtype=np.float64)
    for attribute, policy in profile.unknown_policy.items():
        if policy != "penalize":
            continue
        if attribute in ("kerb", "steps"):
            penalty += unknown[attribute] * profile.unknown_penalty_s
        else:
            penalty += unknown[attribute] * length_share * profile.unknown_penalty_s
    return penalty


def compute_costs(ev: EdgeValues, profile: Profile, at_s: float) -> EdgeCosts:
    """Costs of every directed edge for ``profile`` at epoch second ``at_s``."""
    unknown = unknown_masks(ev)
    blocked = hard_constraints(ev, profile, at_s, unknown)
    factor = 1.0 / speed_factor(ev.speed_grade_pct, profile)
    factor = np.where(ev.surface >= ROUGH_FROM, factor * ROUGH_SURFACE_FACTOR, factor)
    factor = np.where(ev.is_steps & ev.steps_ramp, factor * RAMP_FACTOR, factor)
    avoid = profile.street_avoidance
    factor = factor * np.where(
        ev.no_sidewalk,
        1 + NO_SIDEWALK_FACTOR * avoid,
        np.where(ev.sidewalk_unknown, 1 + UNKNOWN_SIDEWALK_FACTOR * avoid, 1.0),
    )
    run = ev.length_m.astype(np.float64) / profile.speed_mps * factor
    end = np.where(ev.is_crossing, np.where(ev.signals, SIGNAL_WAIT_S, CROSSING_S), 0.0)
    end = end + np.where(ev.is_elevator, ELEVATOR_S, 0.0)
    climbed_steps = ev.is_steps & ~ev.steps_ramp
    end = end + np.where(climbed_steps, np.maximum(ev.step_count, 1) * STEP_S, 0.0)
    end = end + ev.kerb_end_cm.astype(np.float64) * KERB_S_PER_CM
    end = end + _penalties(ev, profile, unknown)
    run = np.where(blocked == 0, run, math.inf)
    total = run + end
    return EdgeCosts(run_s=run, end_s=end, total_s=total, blocked_by=blocked, unknown=unknown)
