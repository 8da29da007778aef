"""The profile-independent inputs of the routing rules, as SQL over ``routing_graphedge`` columns.

The steepest climb and descent of each direction and the highest kerb at either end are what
several of the engine's rules read (limits, near-limit warnings, unknown incline). The network
layer (:mod:`routing.layers.network_sql`) evaluated them once per rule that read them, about half
of a tile's cost; they do not depend on the profile, so :class:`routing.models.GraphEdge` stores
them as generated columns (``GENERATED ALWAYS ... STORED``): PostgreSQL computes them on every
insert and update of a row (graph builds and overlay refreshes alike), so they cannot go stale.

The values mirror :func:`routing.engine.attributes._grades` and the engine's kerb heights in
float32 (``real``), as numpy computes them; ``tests/tiles/test_network_layer.py`` checks the
agreement on every segment of the demo graphs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Greatest
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan

from importers.osm.tags import KERB_HEIGHT_CM
from routing.engine.attributes import GRADE_LIMIT_CONFIDENCE
from routing.graph.contract import KERB

Expression = Any  # a Django expression or Q


def real(expression: Expression) -> Func:
    """``(expression)::real``: numpy's float32 comparisons."""
    return Func(expression, template="(%(expressions)s)::real", output_field=FloatField())


def number(value: float) -> Func:
    """A limit as a float32 parameter (computed in double first, as numpy does)."""
    return real(Value(float(value), output_field=FloatField()))


def negative(expression: Expression) -> Func:
    return Func(expression, template="-(%(expressions)s)", output_field=FloatField())


# A DEM grade is a limit only when confident enough (or surveyed); else it is only a hint.
CONFIDENT = Q(GreaterThanOrEqual(real(F("grade_confidence")), number(GRADE_LIMIT_CONFIDENCE))) | Q(
    grade_source="survey"
)


def incline(sign: int) -> Func:
    """The tagged incline, signed for a direction of travel (+1 along the line, -1 against)."""
    return real(F("incline_pct")) if sign > 0 else real(negative(F("incline_pct")))


def _tagged(rising: Expression, value: Expression) -> Case:
    return Case(
        When(rising, then=value),
        When(Q(incline_pct__isnull=False), then=number(0)),
        default=None,
        output_field=FloatField(),
    )


def _confident(column: str) -> Case:
    return Case(When(CONFIDENT, then=real(F(column))), default=None, output_field=FloatField())


def climb(sign: int, up_column: str) -> Expression:
    """Steepest climb in a direction: the tagged incline, or a confident DEM grade (NULL unknown)."""
    tagged = _tagged(GreaterThan(incline(sign), 0), incline(sign))
    return real(Greatest(tagged, _confident(up_column)))


def descent(sign: int, down_column: str) -> Expression:
    tagged = _tagged(LessThan(incline(sign), 0), negative(incline(sign)))
    return real(Greatest(tagged, _confident(down_column)))


def kerb_height(end: str) -> Expression:
    """The kerb's height at ``end`` (u or v): measured, else the default of its kind."""
    defaults = [
        When(**{f"kerb_{end}": kind}, then=number(cm))
        for kind in KERB
        if (cm := KERB_HEIGHT_CM.get(kind)) is not None
    ]
    default = Case(*defaults, default=None, output_field=FloatField())
    return Func(real(F(f"kerb_{end}_cm")), default, function="COALESCE", output_field=FloatField())


def kerb_cm() -> Expression:
    """The highest kerb at either end (NULL when neither is known)."""
    return real(Greatest(kerb_height("u"), kerb_height("v")))
