"""The engine's hard constraints and edge warnings as SQL over ``routing_graphedge`` rows.

:mod:`routing.engine.segment_status` computes, with the engine's own numpy code, whether each
segment is passable, passable with warnings or blocked for a profile in each direction. A tile
may hold thousands of segments, so the same rules are written here as ORM expressions that
PostgreSQL evaluates in the tile query, clause by clause in the order of
:func:`routing.engine.costs.hard_constraints`, :func:`routing.engine.costs.unknown_masks` and
:func:`routing.engine.describe.edge_warnings`. ``tests/routing/test_network_layer.py`` checks
that both agree on every segment of the demo graphs for every preset and custom profiles.

The arrays hold float32 values and numpy compares them with the profile's limits in float32, so
every comparison here casts both sides to ``real``: a width of 0.9 m is not narrower than a
0.9 m limit in either place. Rows are per segment with u -> v values; the v -> u direction
negates the tagged incline and swaps the DEM's up and down grades (the contract's reverse rules).
The inputs several rules read (climb, descent, kerb height) are stored on each row by PostgreSQL
(generated columns, :mod:`routing.models.rule_inputs`), so each is computed once per write,
not once per rule and tile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Now
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual

from routing.engine.attributes import BARRIER_STEP_CM, WHEEL_BARRIERS
from routing.engine.costs import UNKNOWN_CONSTRAINT, Constraint
from routing.engine.describe import LOW_CONFIDENCE, NEAR_KERB_CM, NEAR_LIMIT_SHARE, NEAR_WIDTH_M
from routing.engine.segment_status import WARNINGS
from routing.graph.contract import ROAD_KINDS, SMOOTHNESS, SURFACE
from routing.models.rule_inputs import Expression, number, real
from routing.profiles import UNKNOWN_ATTRIBUTES, Profile

__all__ = ["number", "real"]  # the float32 helpers, used with these rules


def _is_null(expression: Expression) -> Q:
    return Q(Func(expression, template="(%(expressions)s) IS NULL", output_field=BooleanField()))


class _Bit(Func):
    """``CASE WHEN condition THEN bit ELSE 0 END``, the bit written by code (no parameter)."""

    output_field = IntegerField()

    def __init__(self, condition: Expression, bit: int) -> None:
        super().__init__(
            condition, template=f"CASE WHEN %(expressions)s THEN {int(bit)} ELSE 0 END"
        )


def bits_of(flags: list[tuple[Expression, int]]) -> Expression:
    """The sum of ``bit`` for each true condition (each bit once: a bitwise OR). A condition
    that is NULL (an unknown value compared) counts as false, as NaN comparisons do in numpy."""
    total: Expression = Value(0, output_field=IntegerField())
    for condition, bit in flags:
        term = _Bit(Q(condition) if not isinstance(condition, Q) else condition, bit)
        total = term if isinstance(total, Value) else total + term
    return total


@dataclass(frozen=True)
class Direction:
    """Column roles for one direction of travel along a segment row."""

    name: str  # fwd (u -> v, the geometry's direction) or bwd
    sign: int  # the tagged incline's sign
    up: str  # DEM's steepest climbing window in this direction
    down: str
    arrival: str  # node index where this direction ends (barriers are passed there)
    edge: str  # the directed edge id column (NULL when this direction does not exist)


FWD = Direction("fwd", 1, "grade_max_up_pct", "grade_max_down_pct", "v_index", "forward_edge")
BWD = Direction("bwd", -1, "grade_max_down_pct", "grade_max_up_pct", "u_index", "backward_edge")
DIRECTIONS = (FWD, BWD)


def climb(d: Direction) -> Expression:
    """Steepest climb in this direction (NULL unknown), stored per row on the edge table."""
    return real(F(f"rule_climb_{d.name}_pct"))


def descent(d: Direction) -> Expression:
    return real(F(f"rule_descent_{d.name}_pct"))


def coarse_hint(column: str) -> Case:
    """A DEM grade too coarse to be a limit: only a warning."""
    return Case(
        When(Q(rule_grade_is_limit=True), then=None),
        default=real(F(column)),
        output_field=FloatField(),
    )


def kerb_cm() -> Expression:
    """The highest kerb at either end, stored per row on the edge table."""
    return real(F("rule_kerb_cm"))


STEPS = Q(kind="steps") & ~Q(ramp_wheelchair="yes")


class OneOf(Func):
    """``column = ANY(<one text[] parameter>)``: ``column IN (%s, %s, ...)`` would build its
    array from the parameters on every row of a prepared statement's generic plan."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()

    def __init__(self, column: str, values: Sequence[str]) -> None:
        array = Value(list(values), output_field=ArrayField(CharField()))
        super().__init__(F(column), array)


def one_of(column: str, values: Sequence[str]) -> Q:
    return Q(OneOf(column, values))


ROAD = one_of("kind", ROAD_KINDS)
CROWD = Q(overlay_feature_id__isnull=False)
OBSTACLE_IN_FORCE = Q(obstacle_width_m__isnull=False) & (
    Q(obstacle_until__isnull=True) | Q(obstacle_until__gt=Now())
)


def unknown_conditions(d: Direction) -> dict[str, Expression]:
    """Mirror of :func:`routing.engine.costs.unknown_masks` for one direction."""
    kerb_unknown = (
        Q(kerb_u="yes", kerb_u_cm__isnull=True)
        | Q(kerb_v="yes", kerb_v_cm__isnull=True)
        | Q(kind="crossing", kerb_u="", kerb_v="")
    )
    return {
        "incline": _is_null(climb(d)),
        "kerb": kerb_unknown,
        "width": Q(width_m__isnull=True),
        "surface": Q(surface=""),
        "smoothness": Q(smoothness=""),
        "steps": STEPS & Q(step_count__isnull=True),
    }


def barrier_at(d: Direction) -> Q:
    """A stile, turnstile or similar where this direction arrives (the node's barrier, copied
    onto the edge row when it is written: no node lookup per segment or per tile)."""
    end = {"v_index": "v", "u_index": "u"}[d.arrival]
    return one_of(f"barrier_{end}", WHEEL_BARRIERS)


def constraint_bits(d: Direction, profile: Profile) -> Expression:
    """Mirror of :func:`routing.engine.costs.hard_constraints` for one direction (0 = passable)."""
    flags: list[tuple[Expression, int]] = []

    def add(condition: Expression, flag: Constraint) -> None:
        flags.append((condition, int(flag)))

    if profile.max_steps == 0:
        add(STEPS, Constraint.STEPS)
    else:
        add(STEPS & Q(step_count__gt=profile.max_steps), Constraint.STEPS)
    if not profile.allow_escalators:
        add(Q(kind="escalator") | Q(escalator=True), Constraint.ESCALATOR)
    if not profile.allow_elevators:
        add(Q(kind="elevator") | Q(elevator=True), Constraint.ELEVATOR)
    add(Q(GreaterThan(climb(d), number(profile.max_uphill_pct))), Constraint.UPHILL)
    add(Q(GreaterThan(descent(d), number(profile.max_downhill_pct))), Constraint.DOWNHILL)
    add(Q(GreaterThan(kerb_cm(), number(profile.max_kerb_height_cm))), Constraint.KERB)
    add(Q(LessThan(real(F("width_m")), number(profile.min_width_m))), Constraint.WIDTH)
    worse_surface = SURFACE[SURFACE.index(profile.worst_surface) + 1 :]
    if worse_surface:
        add(one_of("surface", worse_surface), Constraint.SURFACE)
    worse_smoothness = SMOOTHNESS[SMOOTHNESS.index(profile.worst_smoothness) + 1 :]
    if worse_smoothness:
        add(one_of("smoothness", worse_smoothness), Constraint.SMOOTHNESS)
    if profile.avoid_wheelchair_no:
        add(Q(wheelchair="no"), Constraint.WHEELCHAIR_NO)
    if profile.max_kerb_height_cm < BARRIER_STEP_CM:
        add(barrier_at(d), Constraint.BARRIER)
    left = real(F("obstacle_width_m"))
    narrow = Q(LessThan(left, number(profile.min_width_m))) | Q(obstacle_width_m=0)
    add(OBSTACLE_IN_FORCE & narrow, Constraint.OBSTACLE)
    unknown = unknown_conditions(d)
    for attribute, policy in profile.unknown_policy.items():
        if policy != "strict" or (attribute == "steps" and profile.max_steps == 0):
            continue
        add(unknown[attribute], UNKNOWN_CONSTRAINT[attribute])
    return bits_of(flags)


def warning_bits(d: Direction, profile: Profile) -> Expression:
    """Mirror of :func:`routing.engine.describe.edge_warnings` (bits of ``WARNINGS``)."""
    near_climb = Q(
        GreaterThanOrEqual(climb(d), number(NEAR_LIMIT_SHARE * profile.max_uphill_pct))
    ) & Q(GreaterThan(climb(d), 0))
    near_descent = Q(
        GreaterThanOrEqual(descent(d), number(NEAR_LIMIT_SHARE * profile.max_downhill_pct))
    ) & Q(GreaterThan(descent(d), 0))
    near_kerb = Q(
        GreaterThanOrEqual(kerb_cm(), number(profile.max_kerb_height_cm - NEAR_KERB_CM))
    ) & Q(GreaterThan(kerb_cm(), 0))
    near_width = Q(LessThanOrEqual(real(F("width_m")), number(profile.min_width_m + NEAR_WIDTH_M)))
    conditions: dict[str, Expression] = {
        "unknown_kerb": unknown_conditions(d)["kerb"],
        "coarse_slope": Q(GreaterThan(coarse_hint(d.up), number(profile.max_uphill_pct)))
        | Q(GreaterThan(coarse_hint(d.down), number(profile.max_downhill_pct))),
        "near_limit": near_climb | near_descent | near_kerb | near_width,
        "no_sidewalk": ROAD & (Q(no_sidewalk=True) | Q(no_sidewalk__isnull=True)),
        "stale_report": CROWD
        & Q(overlay_observed_at__lt=Now() - timedelta(days=settings.ROUTING_STALE_DAYS)),
        "low_confidence": CROWD
        & Q(LessThan(real(F("overlay_confidence")), number(LOW_CONFIDENCE))),
        "obstacle": OBSTACLE_IN_FORCE & Q(obstacle_width_m__gt=0),
    }
    return bits_of([(conditions[code], 1 << WARNINGS.index(code)) for code in conditions])


def unknown_bits() -> Expression:
    """Attributes unknown in either existing direction (bits of ``UNKNOWN_ATTRIBUTES``); only the
    incline differs by direction."""
    fwd, bwd = unknown_conditions(FWD), unknown_conditions(BWD)
    incline = (Q(forward_edge__isnull=False) & fwd["incline"]) | (
        Q(backward_edge__isnull=False) & bwd["incline"]
    )
    flags = [
        (incline if name == "incline" else fwd[name], 1 << i)
        for i, name in enumerate(UNKNOWN_ATTRIBUTES)
    ]
    return bits_of(flags)
