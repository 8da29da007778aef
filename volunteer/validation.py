"""What to validate next: others' contributions near you or in a campaign, and officials' queue."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from accounts.models import User
from mapping.models import AccessibilityFeature, DisabledParkingSpot, Observation, Place, Vote
from mapping.models.vocab import ReviewStatus
from volunteer.area import Area
from volunteer.targets import (
    correctable_fields,
    for_display,
    photos_by_target,
    photos_for,
    summary,
)

MODELS: tuple[type[Observation], ...] = (AccessibilityFeature, Place, DisabledParkingSpot)
OPEN_STATUSES = (ReviewStatus.UNVALIDATED, ReviewStatus.DISPUTED)


def _base(model: type[Observation]) -> QuerySet:
    return for_display(model.objects.filter(status__in=OPEN_STATUSES))  # type: ignore[attr-defined]


def _voted_by(model: type[Observation], user: User) -> Exists:
    return Exists(
        Vote.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            user=user,
        )
    )


def _item(obj: Observation, photos: dict[tuple[int, int], list[str]]) -> dict[str, Any]:
    item = summary(obj)
    distance = getattr(obj, "distance", None)
    item["distance_m"] = round(distance.m, 1) if distance is not None else None
    item["photos"] = photos_for(obj, photos)
    item["correctable"] = correctable_fields(obj)
    return item


def validation_queue(area: Area, user: User, *, limit: int) -> list[dict[str, Any]]:
    """Others' open contributions you have not voted on.

    Disputed first, then people's contributions before imported data, fewest votes, nearest.
    """
    found: list[Observation] = []
    for model in MODELS:
        qs = _base(model).exclude(observer=user).exclude(_voted_by(model, user))
        found += list(area.order(area.filter(qs))[:limit])

    def priority(obj: Observation) -> tuple[int, int, int, float]:
        distance = getattr(obj, "distance", None)
        return (
            0 if obj.status == ReviewStatus.DISPUTED else 1,
            0 if obj.observer_id else 1,
            obj.agree_count + obj.disagree_count + obj.unsure_count,
            distance.m if distance is not None else 0.0,
        )

    found.sort(key=priority)
    found = found[:limit]
    photos = photos_by_target(found)
    return [_item(obj, photos) for obj in found]


def review_queue(*, limit: int) -> list[dict[str, Any]]:
    """For officials: disputed first, then contested (any disagree vote), then the oldest open ones.

    Imported data only enters the queue once someone disputes it.
    """
    found: list[Observation] = []
    for model in MODELS:
        qs = _base(model).exclude(observer__isnull=True, disagree_count=0)
        qs = qs.annotate(
            urgency=Case(
                When(status=ReviewStatus.DISPUTED, then=Value(0)),
                When(disagree_count__gt=0, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        found += list(qs.order_by("urgency", "created_at")[:limit])
    found.sort(key=lambda obj: (obj.urgency, obj.created_at))  # type: ignore[attr-defined]
    found = found[:limit]
    photos = photos_by_target(found)
    items = [_item(obj, photos) for obj in found]
    for obj, item in zip(found, items, strict=True):
        item["vote_details"] = _votes(obj)
    return items


def _votes(obj: Observation) -> list[dict[str, Any]]:
    votes = Vote.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("user")
    return [
        {
            "user": vote.user.public_name,
            "value": vote.value,
            "value_label": vote.get_value_display(),
            "corrected": vote.corrected,
            "comment": vote.comment,
            "official": vote.user.is_official,
        }
        for vote in votes.order_by("created_at")
    ]
