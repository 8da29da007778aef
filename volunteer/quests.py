"""Quests: small questions generated from gaps and due re-surveys in our data (StreetComplete style).

Each quest carries its answers as ready-made patches for the versioned mapping API, so the phone
answers with one request (``PATCH`` with ``If-Match``) and a stale version is refused, never merged
silently. Numbers go in through ``number.patch`` where ``"$value"`` stands for what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from mapping.models import (
    AccessibilityFeature,
    DisabledParkingSpot,
    Entrance,
    FeatureType,
    Kerb,
    Observation,
    Place,
    RampWheelchair,
    ReviewStatus,
    Vote,
)
from mapping.serializers import EntranceSerializer
from volunteer.area import Area
from volunteer.fields import field_spec
from volunteer.targets import for_display, main_entrance, summary

VALUE = "$value"
KERB_FEATURES = (FeatureType.CROSSING, FeatureType.KERB, FeatureType.CURB_RAMP)
NO_ENTRANCE_CATEGORIES = ("parking", "park", "wheelchair_charger")


@dataclass
class Answer:
    label: str
    patch: dict[str, Any] | None = None
    vote: str | None = None
    comment: str = ""
    edit: bool = False
    hint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", False)}


@dataclass
class NumberInput:
    label: str
    unit: str
    min: float
    max: float
    step: str
    patch: dict[str, Any]


@dataclass
class Quest:
    kind: str
    target: Observation
    question: str
    answers: list[Answer]
    number: NumberInput | None = None
    context: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def fields(self, model_kind: str) -> dict[str, dict[str, Any]]:
        """Labels and choice labels of what the answers change (for the conflict view)."""
        names = {name for answer in self.answers for name in (answer.patch or {})}
        described = {}
        for name in sorted(names):
            spec = field_spec(model_kind, name)
            described[name] = {"label": spec["label"], "choices": dict(spec.get("choices", []))}
        return described

    def as_dict(self) -> dict[str, Any]:
        target = summary(self.target)
        distance = getattr(self.target, "distance", None)
        return {
            "key": f"{self.kind}:{target['model']}:{target['id']}",
            "kind": self.kind,
            "kind_label": str(QUEST_KINDS[self.kind].label()),
            "question": self.question,
            "context": self.context,
            "target": target,
            "answers": [a.as_dict() for a in self.answers],
            "number": self.number.__dict__ if self.number else None,
            "fields": self.fields(target["model"]),
            "distance_m": round(distance.m, 1) if distance is not None else None,
        }


def _number(
    model_kind: str, name: str, patch: dict[str, Any], *, minimum: float = 0
) -> NumberInput:
    spec = field_spec(model_kind, name)
    return NumberInput(
        label=spec["label"],
        unit=spec.get("unit", ""),
        min=spec.get("min", minimum),
        max=spec.get("max", 10_000),
        step=spec.get("step", "1"),
        patch=patch,
    )


# --- crossing / kerb without kerb information --------------------------------------------------

KERB_HINTS = {
    Kerb.RAISED: lambda: _("a step up of more than 3 cm"),
    Kerb.LOWERED: lambda: _("lowered to about 1-3 cm"),
    Kerb.FLUSH: lambda: _("level with the road"),
    Kerb.NO: lambda: _("no kerb at all"),
}


def kerb_candidates(user: User | None) -> list[QuerySet]:
    return [
        AccessibilityFeature.objects.active().filter(
            feature_type__in=KERB_FEATURES, kerb="", kerb_height_cm__isnull=True
        )
    ]


def kerb_quest(obj: Observation) -> Quest:
    answers = [
        Answer(label=str(Kerb(value).label), hint=str(hint()), patch={"kerb": str(value)})
        for value, hint in KERB_HINTS.items()
    ]
    return Quest(
        kind="crossing_kerb",
        target=obj,
        question=_("What is the kerb like where you step off the pavement here?"),
        answers=answers,
        number=_number("feature", "kerb_height_cm", {"kerb_height_cm": VALUE}),
    )


# --- steps without count or ramp information ---------------------------------------------------


def steps_count_candidates(user: User | None) -> list[QuerySet]:
    return [
        AccessibilityFeature.objects.active().filter(
            feature_type=FeatureType.STEPS, step_count__isnull=True
        )
    ]


def steps_count_quest(obj: Observation) -> Quest:
    return Quest(
        kind="steps_count",
        target=obj,
        question=_("How many steps are there?"),
        answers=[Answer(label=str(n), patch={"step_count": n}) for n in range(1, 6)],
        number=_number("feature", "step_count", {"step_count": VALUE}, minimum=1),
    )


def steps_ramp_candidates(user: User | None) -> list[QuerySet]:
    return [
        AccessibilityFeature.objects.active().filter(
            feature_type=FeatureType.STEPS, ramp_wheelchair=""
        )
    ]


def steps_ramp_quest(obj: Observation) -> Quest:
    return Quest(
        kind="steps_ramp",
        target=obj,
        question=_("Is there a ramp for wheelchairs at these steps?"),
        answers=[
            Answer(label=str(label), patch={"ramp_wheelchair": str(value)})
            for value, label in RampWheelchair.choices
        ],
    )


# --- place entrance without step information ---------------------------------------------------


def entrance_candidates(user: User | None) -> list[QuerySet]:
    has_known_main = Entrance.objects.filter(
        place=OuterRef("pk"), is_main=True, has_steps__isnull=False
    )
    return [
        Place.objects.exclude(category__in=NO_ENTRANCE_CATEGORIES)
        .annotate(known=Exists(has_known_main))
        .filter(known=False)
        .prefetch_related("entrances")
    ]


def _entrance_patch(place: Place, changes: dict[str, Any]) -> dict[str, Any]:
    """The full entrance list (the API replaces it) with the main entrance changed."""
    rows = [
        {k: v for k, v in EntranceSerializer(e).data.items() if k != "id"}
        for e in place.entrances.all()
    ]
    main = main_entrance(place)
    if main is None:
        rows, index = [{"is_main": True}], 0
    else:
        index = [e.pk for e in place.entrances.all()].index(main.pk)
    rows[index] = {**rows[index], **changes}
    return {"entrances": rows}


def entrance_quest(obj: Observation) -> Quest:
    assert isinstance(obj, Place)
    answers = [
        Answer(label=_("No steps: step-free"), patch=_entrance_patch(obj, {"has_steps": False})),
        *(
            Answer(
                label=_("%(count)d step(s)") % {"count": n},
                patch=_entrance_patch(obj, {"has_steps": True, "step_count": n}),
            )
            for n in (1, 2, 3)
        ),
    ]
    return Quest(
        kind="entrance_steps",
        target=obj,
        question=_("Are there steps at the main entrance of %(name)s?") % {"name": obj.name},
        answers=answers,
        number=_number(
            "entrance",
            "step_count",
            _entrance_patch(obj, {"has_steps": True, "step_count": VALUE}),
            minimum=1,
        ),
    )


# --- parking lot without a disabled-space count ------------------------------------------------


def parking_candidates(user: User | None) -> list[QuerySet]:
    return [
        DisabledParkingSpot.objects.filter(disabled_spaces__isnull=True),
        Place.objects.filter(category="parking", parking_disabled_spaces__isnull=True),
    ]


def parking_quest(obj: Observation) -> Quest:
    field_name = (
        "disabled_spaces" if isinstance(obj, DisabledParkingSpot) else "parking_disabled_spaces"
    )
    model_kind = "parking" if isinstance(obj, DisabledParkingSpot) else "place"
    return Quest(
        kind="parking_count",
        target=obj,
        question=_("How many parking bays here are reserved for disabled drivers?"),
        answers=[Answer(label=str(n), patch={field_name: n}) for n in range(5)],
        number=_number(model_kind, field_name, {field_name: VALUE}),
    )


# --- observations past their re-survey date ----------------------------------------------------


def resurvey_candidates(user: User | None) -> list[QuerySet]:
    querysets: list[QuerySet] = []
    for model in (AccessibilityFeature, Place, DisabledParkingSpot):
        qs = model.objects.due_for_resurvey()  # type: ignore[attr-defined]
        if model is AccessibilityFeature:
            qs = qs.filter(Q(is_temporary=False) | Q(expires_at__gt=timezone.now()))
        if user is not None:
            # you cannot confirm your own observation, and you are not asked twice
            voted = Vote.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id=OuterRef("pk"),
                user=user,
                updated_at__gte=OuterRef("resurvey_due_at"),
            )
            qs = qs.exclude(observer=user).exclude(Exists(voted))
        querysets.append(for_display(qs))
    return querysets


def resurvey_quest(obj: Observation) -> Quest:
    checked = obj.last_verified_at or obj.observed_at
    return Quest(
        kind="resurvey",
        target=obj,
        question=_("Is it still like this?"),
        context=_("Last checked %(date)s (%(years)s years ago).")
        % {
            "date": date_format(timezone.localtime(checked), "DATE_FORMAT"),
            "years": f"{obj.age_days / 365:.1f}",
        },
        answers=[
            Answer(label=_("Yes, still like this"), vote="agree"),
            Answer(label=_("It has changed"), edit=True),
            Answer(label=_("Not there any more"), vote="disagree", comment=_("Not there any more")),
        ],
    )


# --- registry ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestKind:
    key: str
    label: Callable[[], str]
    candidates: Callable[[User | None], list[QuerySet]]
    build: Callable[[Observation], Quest]


# Quickest to answer first, as StreetComplete orders its quests.
QUEST_KINDS: dict[str, QuestKind] = {
    kind.key: kind
    for kind in (
        QuestKind("crossing_kerb", lambda: _("Kerb height"), kerb_candidates, kerb_quest),
        QuestKind(
            "steps_ramp", lambda: _("Ramp at steps"), steps_ramp_candidates, steps_ramp_quest
        ),
        QuestKind(
            "steps_count", lambda: _("Step count"), steps_count_candidates, steps_count_quest
        ),
        QuestKind(
            "entrance_steps", lambda: _("Entrance steps"), entrance_candidates, entrance_quest
        ),
        QuestKind(
            "parking_count", lambda: _("Disabled parking bays"), parking_candidates, parking_quest
        ),
        QuestKind("resurvey", lambda: _("Re-survey"), resurvey_candidates, resurvey_quest),
    )
}


def _not_rejected(qs: QuerySet) -> QuerySet:
    return qs.exclude(status=ReviewStatus.REJECTED)


def find_quests(
    area: Area, user: User | None, *, kinds: Iterable[str] | None = None, limit: int
) -> list[dict[str, Any]]:
    """Quests in ``area``, nearest first (then quickest kind first), at most ``limit``."""
    wanted = set(kinds) if kinds else set(QUEST_KINDS)
    found: list[tuple[float, int, QuestKind, Observation]] = []
    for rank, kind in enumerate(QUEST_KINDS.values()):
        if kind.key not in wanted:
            continue
        for queryset in kind.candidates(user):
            for obj in area.order(for_display(area.filter(_not_rejected(queryset))))[:limit]:
                distance = getattr(obj, "distance", None)
                found.append((distance.m if distance is not None else 0.0, rank, kind, obj))
    found.sort(key=lambda row: (row[0], row[1]))
    # only the quests that are returned are built (labels, patches, summaries)
    return [kind.build(obj).as_dict() for _, _, kind, obj in found[:limit]]
