"""Places (shops, stations, toilets, tourist spots) with measured accessibility, A11yJSON-shaped."""

from __future__ import annotations

import pghistory
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.models.observation import Observation
from mapping.models.vocab import PlaceCategory, Wheelchair


# Statement-level history triggers: one trigger call per bulk statement (imports), same events.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    level=pghistory.Statement,
)
class Place(Observation):
    """A place people visit. Measurements are stored; yes/limited/no is derived per profile."""

    resurvey_kind = "place"

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=PlaceCategory.choices)
    geom = models.PointField(_("location"), srid=4326)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.CharField(_("opening hours (OSM syntax)"), max_length=255, blank=True)
    wheelchair_tag = models.CharField(
        _("wheelchair tag as observed"), max_length=10, choices=Wheelchair.choices, blank=True
    )
    is_ground_floor = models.BooleanField(_("on the ground floor"), null=True, blank=True)
    # Restroom (A11yJSON Restroom / Toilet)
    toilet_accessible = models.BooleanField(_("accessible toilet"), null=True, blank=True)
    toilet_grab_bars = models.BooleanField(_("toilet grab bars"), null=True, blank=True)
    toilet_door_width_cm = models.PositiveSmallIntegerField(
        _("toilet door width (cm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(400)],
    )
    # Parking (A11yJSON Parking.forWheelchairUsers)
    parking_disabled_spaces = models.PositiveSmallIntegerField(
        _("disabled parking spaces"), null=True, blank=True, validators=[MaxValueValidator(2000)]
    )
    # Equipment (A11yJSON EquipmentProperties, elevator)
    has_elevator = models.BooleanField(_("elevator"), null=True, blank=True)
    elevator_working = models.BooleanField(_("elevator working"), null=True, blank=True)
    extra = models.JSONField(
        _("further A11yJSON properties"),
        default=dict,
        blank=True,
        help_text=_("Unmodelled details."),
    )

    class Meta(Observation.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            *Observation.Meta.constraints,
            models.CheckConstraint(
                condition=Q(toilet_door_width_cm__isnull=True)
                | Q(toilet_door_width_cm__gte=30, toilet_door_width_cm__lte=400),
                name="place_toilet_door_width_plausible",
            ),
        ]
        indexes = [models.Index(fields=["category"]), models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return self.name


# Statement-level history triggers: one trigger call per bulk statement (imports), same events.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    level=pghistory.Statement,
)
class Entrance(models.Model):
    """One way in (A11yJSON Entrance + Door + Stairs)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="entrances")
    name = models.CharField(_("name"), max_length=120, blank=True)
    is_main = models.BooleanField(_("main entrance"), default=True)
    geom = models.PointField(_("location"), srid=4326, null=True, blank=True)
    has_steps = models.BooleanField(_("steps at the entrance"), null=True, blank=True)
    step_count = models.PositiveSmallIntegerField(
        _("step count"), null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    step_height_cm = models.FloatField(
        _("highest step (cm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    has_threshold = models.BooleanField(_("door threshold"), null=True, blank=True)
    threshold_height_cm = models.FloatField(
        _("threshold height (cm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    has_ramp = models.BooleanField(_("ramp"), null=True, blank=True)
    ramp_incline_pct = models.FloatField(
        _("ramp incline (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    door_width_cm = models.PositiveSmallIntegerField(
        _("door width (cm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(1000)],
    )
    is_automatic_door = models.BooleanField(_("automatic door"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrance")
        constraints = [
            models.CheckConstraint(
                condition=Q(step_height_cm__isnull=True)
                | Q(step_height_cm__gte=0, step_height_cm__lte=60),
                name="entrance_step_height_plausible",
            ),
            models.CheckConstraint(
                condition=Q(door_width_cm__isnull=True)
                | Q(door_width_cm__gte=30, door_width_cm__lte=1000),
                name="entrance_door_width_plausible",
            ),
            models.CheckConstraint(
                condition=Q(step_count__isnull=True) | Q(step_count__lte=200),
                name="entrance_step_count_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"entrance {self.pk}"
