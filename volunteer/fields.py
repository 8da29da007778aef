"""Form-field descriptions taken from the mapping models: label, unit, limits and choices.

The phone forms, quest inputs and "correct a measurement" controls are all built from these, so a
limit changed on a model (``MaxValueValidator``) reaches the app without a second copy.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mapping.models import AccessibilityFeature, DisabledParkingSpot, Entrance, Place

MODELS: dict[str, type[models.Model]] = {
    "feature": AccessibilityFeature,
    "place": Place,
    "parking": DisabledParkingSpot,
    "entrance": Entrance,
}

# Units shown next to inputs; counts get a counting word instead of a physical unit.
UNIT_BY_SUFFIX = {"_cm": "cm", "_m": "m", "_pct": "%"}
COUNT_UNITS = {
    "step_count": _("steps"),
    "disabled_spaces": _("spaces"),
    "total_spaces": _("spaces"),
    "parking_disabled_spaces": _("spaces"),
}
DECIMAL_STEP = {"cm": "0.5", "m": "0.05", "%": "0.5"}


class FieldSpec(TypedDict, total=False):
    name: str
    label: str
    type: str  # number | choice | bool | text | textarea | date
    unit: str
    min: float
    max: float
    step: str
    choices: list[tuple[str, str]]
    required: bool


def unit_for(name: str) -> str:
    if name in COUNT_UNITS:
        return str(COUNT_UNITS[name])
    for suffix, unit in UNIT_BY_SUFFIX.items():
        if name.endswith(suffix):
            return unit
    return ""


def _limits(field: models.Field) -> dict[str, float]:
    limits: dict[str, float] = {}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            limits["min"] = float(validator.limit_value)  # type: ignore[arg-type]
        elif isinstance(validator, MaxValueValidator):
            limits["max"] = float(validator.limit_value)  # type: ignore[arg-type]
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        limits.setdefault("min", 0)
    return limits


def _kind_of(field: models.Field) -> str:
    if field.choices:
        return "choice"
    if isinstance(field, models.BooleanField):
        return "bool"
    if isinstance(field, models.IntegerField | models.FloatField):
        return "number"
    if isinstance(field, models.DateTimeField | models.DateField):
        return "date"
    if isinstance(field, models.TextField):
        return "textarea"
    return "text"


def field_spec(model_kind: str, name: str) -> FieldSpec:
    """Describe one model field for a phone form (label translated, unit and limits attached)."""
    field = MODELS[model_kind]._meta.get_field(name)
    if not isinstance(field, models.Field):  # a reverse relation such as a place's entrances
        return {
            "name": name,
            "label": str(field.related_model._meta.verbose_name_plural),
            "type": "list",
        }
    kind = _kind_of(field)
    spec: FieldSpec = {"name": name, "label": str(field.verbose_name), "type": kind}
    if kind == "number":
        unit = unit_for(name)
        spec.update(_limits(field))  # type: ignore[typeddict-item]
        spec["unit"] = unit
        is_integer = isinstance(field, models.IntegerField)
        spec["step"] = "1" if is_integer else DECIMAL_STEP.get(unit, "0.1")
    elif kind == "choice":
        spec["choices"] = [(str(value), str(label)) for value, label in field.choices or []]
    spec["required"] = not (field.blank or field.null)
    return spec


def display_value(model_kind: str, name: str, value: Any) -> str:
    """A stored value as people read it: choice labels, yes/no, numbers with their unit."""
    if value is None or value == "":
        return str(_("unknown"))
    field = MODELS[model_kind]._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int | float):
        number = f"{value:g}"
        unit = unit_for(name)
        return f"{number} {unit}".strip()
    return str(value)
