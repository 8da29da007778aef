"""Accessibility features on the pedestrian network: kerbs, steps, ramps, elevators, obstacles..."""

from __future__ import annotations

import pghistory
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mapping.models.observation import AliveManager, Observation, ObservationQuerySet
from mapping.models.places import Place
from mapping.models.vocab import (
    Crossing,
    FeatureType,
    Kerb,
    RampWheelchair,
    Smoothness,
    Surface,
    Wheelchair,
)

# Plausibility limits, shared by validators and database constraints.
KERB_HEIGHT_MAX_CM = 50
STEP_HEIGHT_MAX_CM = 60
STEP_COUNT_MAX = 500
INCLINE_MAX_PCT = 60
WIDTH_MIN_M, WIDTH_MAX_M = 0.1, 30


class FeatureQuerySet(ObservationQuerySet):
    def active(self) -> FeatureQuerySet:
        """Alive and not an expired temporary obstacle."""
        now = timezone.now()
        return self.alive().filter(Q(is_temporary=False) | Q(expires_at__gt=now))  # type: ignore[return-value]


# Statement-level history triggers: one trigger call per bulk statement (imports), same events.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    level=pghistory.Statement,
)
class AccessibilityFeature(Observation):
    """One observed thing on the way, with measurements in OSM vocabulary and units in names."""

    feature_type = models.CharField(_("type"), max_length=30, choices=FeatureType.choices)
    geom = models.GeometryField(_("location"), srid=4326, help_text=_("Point or LineString."))
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="features"
    )
    kerb = models.CharField(_("kerb"), max_length=10, choices=Kerb.choices, blank=True)
    kerb_height_cm = models.FloatField(
        _("kerb height (cm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(KERB_HEIGHT_MAX_CM)],
    )
    step_count = models.PositiveSmallIntegerField(
        _("step count"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(STEP_COUNT_MAX)],
    )
    step_height_cm = models.FloatField(
        _("step height (cm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(STEP_HEIGHT_MAX_CM)],
    )
    handrail = models.BooleanField(_("handrail"), null=True, blank=True)
    ramp_wheelchair = models.CharField(
        _("ramp alongside steps"), max_length=10, choices=RampWheelchair.choices, blank=True
    )
    incline_pct = models.FloatField(
        _("incline (%)"),
        null=True,
        blank=True,
        help_text=_("Signed along the line's direction; magnitude for a point."),
        validators=[MinValueValidator(-INCLINE_MAX_PCT), MaxValueValidator(INCLINE_MAX_PCT)],
    )
    width_m = models.FloatField(
        _("width (m)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(WIDTH_MIN_M), MaxValueValidator(WIDTH_MAX_M)],
    )
    surface = models.CharField(_("surface"), max_length=20, choices=Surface.choices, blank=True)
    smoothness = models.CharField(
        _("smoothness"), max_length=20, choices=Smoothness.choices, blank=True
    )
    elevator_working = models.BooleanField(_("elevator working"), null=True, blank=True)
    elevator_status_at = models.DateTimeField(_("elevator status time"), null=True, blank=True)
    opening_hours = models.CharField(_("opening hours (OSM syntax)"), max_length=255, blank=True)
    is_temporary = models.BooleanField(_("temporary"), default=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    tactile_paving = models.BooleanField(_("tactile paving"), null=True, blank=True)
    crossing = models.CharField(_("crossing"), max_length=20, choices=Crossing.choices, blank=True)
    crossing_signals = models.BooleanField(_("traffic signals"), null=True, blank=True)
    wheelchair_tag = models.CharField(
        _("wheelchair tag as observed"), max_length=10, choices=Wheelchair.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)

    objects = AliveManager.from_queryset(FeatureQuerySet)()  # type: ignore[assignment, misc]
    all_objects = FeatureQuerySet.as_manager()  # type: ignore[misc]

    class Meta(Observation.Meta):
        verbose_name = _("accessibility feature")
        verbose_name_plural = _("accessibility features")
        constraints = [
            *Observation.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kerb_height_cm__isnull=True)
                | Q(kerb_height_cm__gte=0, kerb_height_cm__lte=KERB_HEIGHT_MAX_CM),
                name="feature_kerb_height_plausible",
            ),
            models.CheckConstraint(
                condition=Q(step_height_cm__isnull=True)
                | Q(step_height_cm__gte=0, step_height_cm__lte=STEP_HEIGHT_MAX_CM),
                name="feature_step_height_plausible",
            ),
            models.CheckConstraint(
                condition=Q(step_count__isnull=True)
                | Q(step_count__gte=1, step_count__lte=STEP_COUNT_MAX),
                name="feature_step_count_plausible",
            ),
            models.CheckConstraint(
                condition=Q(incline_pct__isnull=True)
                | Q(incline_pct__gte=-INCLINE_MAX_PCT, incline_pct__lte=INCLINE_MAX_PCT),
                name="feature_incline_plausible",
            ),
            models.CheckConstraint(
                condition=Q(width_m__isnull=True)
                | Q(width_m__gte=WIDTH_MIN_M, width_m__lte=WIDTH_MAX_M),
                name="feature_width_plausible",
            ),
            models.CheckConstraint(
                condition=Q(is_temporary=True) | Q(expires_at__isnull=True),
                name="feature_expiry_only_when_temporary",
            ),
            models.CheckConstraint(
                condition=Q(is_temporary=False) | Q(expires_at__isnull=False),
                name="feature_temporary_needs_expiry",
            ),
        ]
        indexes = [
            models.Index(fields=["feature_type"]),
            models.Index(fields=["updated_at"]),
            # Quests and QA scan for observations due for a re-survey.
            models.Index(fields=["resurvey_due_at"]),
        ]

    @property
    def resurvey_kind(self) -> str:  # type: ignore[override]
        return self.feature_type

    def __str__(self) -> str:
        return f"{self.get_feature_type_display()} #{self.pk}"

    def cross_field_errors(self) -> dict[str, list[str]]:
        if self.is_temporary and not self.expires_at:
            return {"expires_at": [str(_("A temporary obstacle needs an expiry time."))]}
        if not self.is_temporary and self.expires_at:
            return {"is_temporary": [str(_("Only temporary features expire."))]}
        if self.kerb == "flush" and (self.kerb_height_cm or 0) > 1:
            return {"kerb_height_cm": [str(_("A flush kerb is at most 1 cm high."))]}
        return {}
