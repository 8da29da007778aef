"""The place rating of :func:`mapping.ratings.rate_place` as one SQL expression, for tiles.

``rate_place`` runs per place in Python (one query for the entrances of each place); a tile may
hold thousands of places, so the same rules are written here as ORM expressions evaluated by
PostgreSQL in the tile query. The clauses follow ``_entrance_grade`` in order, with the profile's
limits as parameters. ``tests/tiles/test_place_grades.py`` checks that both agree on generated
entrances for every preset and for custom profiles: change one, and that test tells you.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from mapping.models import Entrance, Place
from routing.profiles import Profile

# The order rate_place uses to pick the best entrance.
RANK = {"no": 0, "unknown": 1, "limited": 2, "yes": 3}


def _number(value: float) -> Value:
    # Float parameters: an integer column compared to 90.5 must not be rounded to 90.
    return Value(float(value), output_field=FloatField())


def entrance_rank(profile: Profile) -> Case:
    """Rank (see ``RANK``) of one entrance for ``profile``, mirroring ``_entrance_grade``."""
    max_step_cm = _number(profile.max_kerb_height_cm)
    min_door_cm = _number(profile.min_width_m * 100)
    steps_without_ramp = (Q(has_steps=True) | Q(step_count__gt=0)) & ~Q(has_ramp=True)
    at_most_one_step = Q(step_count__isnull=True) | Q(step_count__lte=1)
    clauses = [When(door_width_cm__lt=min_door_cm, then=Value(RANK["no"]))]
    if profile.max_steps:
        within_limit = Q(step_count__isnull=True) | Q(step_count__lte=profile.max_steps)
        clauses.append(When(steps_without_ramp & within_limit, then=Value(RANK["limited"])))
    clauses += [
        When(
            steps_without_ramp
            & at_most_one_step
            & Q(step_height_cm__isnull=False, step_height_cm__lte=max_step_cm),
            then=Value(RANK["limited"]),
        ),
        When(steps_without_ramp, then=Value(RANK["no"])),
        When(Q(has_threshold=True, threshold_height_cm__gt=max_step_cm), then=Value(RANK["no"])),
        When(
            Q(has_ramp=True, ramp_incline_pct__gt=_number(profile.max_uphill_pct)),
            then=Value(RANK["no"]),
        ),
        When(
            Q(has_steps__isnull=True, step_count__isnull=True) & ~Q(has_ramp=True),
            then=Value(RANK["unknown"]),
        ),
        When(Q(has_threshold=True, threshold_height_cm__isnull=True), then=Value(RANK["limited"])),
        When(door_width_cm__isnull=True, then=Value(RANK["limited"])),
    ]
    return Case(*clauses, default=Value(RANK["yes"]), output_field=IntegerField())


def best_entrance_rank(profile: Profile) -> Subquery:
    """The best entrance's rank for the outer place row (NULL when it has no entrance)."""
    ranks = (
        Entrance.objects.filter(place=OuterRef("pk"))
        .order_by()
        .values("place")
        .annotate(best=Max(entrance_rank(profile)))
        .values("best")
    )
    return Subquery(ranks, output_field=IntegerField())


def with_grade(places: QuerySet[Place], profile: Profile, name: str = "grade") -> QuerySet[Place]:
    """Annotate ``name`` = yes / limited / no / unknown, as ``rate_place(place, profile).grade``."""
    grade = Case(
        When(Q(_best_entrance_rank__isnull=True), then=Value("unknown")),
        When(Q(_best_entrance_rank=RANK["yes"], toilet_accessible=False), then=Value("limited")),
        When(Q(_best_entrance_rank=RANK["yes"]), then=Value("yes")),
        When(Q(_best_entrance_rank=RANK["limited"]), then=Value("limited")),
        When(Q(_best_entrance_rank=RANK["unknown"]), then=Value("unknown")),
        default=Value("no"),
        output_field=CharField(),
    )
    return places.annotate(_best_entrance_rank=best_entrance_rank(profile)).annotate(
        **{name: grade}
    )
