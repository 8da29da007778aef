"""What the phone asks for each kind of contribution: one form per feature type, in model terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from mapping.models import FeatureType
from volunteer.fields import FieldSpec, field_spec

# Measurements first, then yes/no details, then free text; order is the on-screen (and focus) order.
FEATURE_FIELDS: dict[str, tuple[str, ...]] = {
    FeatureType.KERB: ("kerb", "kerb_height_cm", "tactile_paving"),
    FeatureType.CURB_RAMP: ("kerb", "kerb_height_cm", "incline_pct", "width_m", "tactile_paving"),
    FeatureType.STEPS: ("step_count", "step_height_cm", "ramp_wheelchair", "handrail", "width_m"),
    FeatureType.RAMP: ("incline_pct", "width_m", "handrail", "surface"),
    FeatureType.ELEVATOR: ("elevator_working", "width_m", "opening_hours"),
    FeatureType.OBSTACLE: ("width_m", "is_temporary", "expires_at", "description"),
    FeatureType.SURFACE_PROBLEM: ("surface", "smoothness", "description"),
    FeatureType.NARROW_PASSAGE: ("width_m", "description"),
    FeatureType.STEEP_SLOPE: ("incline_pct", "surface"),
    FeatureType.TACTILE_PAVING: ("tactile_paving",),
    FeatureType.CROSSING: (
        "crossing",
        "crossing_signals",
        "kerb",
        "kerb_height_cm",
        "tactile_paving",
    ),
}
PARKING_FIELDS = (
    "lot_name",
    "disabled_spaces",
    "total_spaces",
    "space_width_m",
    "space_length_m",
    "has_access_aisle",
    "aisle_width_m",
    "has_signage",
)
PLACE_FIELDS = ("name", "category")
ENTRANCE_FIELDS = (
    "has_steps",
    "step_count",
    "step_height_cm",
    "has_ramp",
    "ramp_incline_pct",
    "door_width_cm",
    "is_automatic_door",
)


@dataclass
class CaptureForm:
    """One selectable form: ``key`` is what the phone stores, ``model`` which API receives it."""

    key: str
    label: str
    model: str  # feature | place | parking
    fields: list[FieldSpec]
    entrance_fields: list[FieldSpec] = field(default_factory=list)
    hint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "model": self.model,
            "fields": self.fields,
            "entrance_fields": self.entrance_fields,
        }


HINTS = {
    FeatureType.KERB: _("Measure from the road surface to the top of the kerb."),
    FeatureType.CURB_RAMP: _("Measure the lip at the bottom of the ramp and its steepest part."),
    FeatureType.STEPS: _("Count every step; give the height of the highest one."),
    FeatureType.OBSTACLE: _("Give the width that is left to pass."),
    FeatureType.NARROW_PASSAGE: _("Measure at the narrowest point."),
    "parking": _("Count only bays marked for disabled drivers."),
    "place": _("Describe the main entrance as you find it."),
}


def capture_forms() -> list[CaptureForm]:
    """Every form the add/edit screen offers, features first (the common case on a walk)."""
    forms = [
        CaptureForm(
            key=str(kind),
            label=str(FeatureType(kind).label),
            model="feature",
            fields=[field_spec("feature", name) for name in names],
            hint=str(HINTS.get(kind, "")),
        )
        for kind, names in FEATURE_FIELDS.items()
    ]
    forms.append(
        CaptureForm(
            key="parking",
            label=str(_("Disabled parking")),
            model="parking",
            fields=[field_spec("parking", name) for name in PARKING_FIELDS],
            hint=str(HINTS["parking"]),
        )
    )
    forms.append(
        CaptureForm(
            key="place",
            label=str(_("Place entrance")),
            model="place",
            fields=[field_spec("place", name) for name in PLACE_FIELDS],
            entrance_fields=[field_spec("entrance", name) for name in ENTRANCE_FIELDS],
            hint=str(HINTS["place"]),
        )
    )
    return forms


def form_key_for(model_kind: str, obj: Any) -> str:
    """Which form edits ``obj``."""
    if model_kind == "feature":
        return str(obj.feature_type)
    return model_kind
