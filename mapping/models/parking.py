"""Disabled-only parking bays (장애인전용주차구역): a first-class entity, not a tag on a car park."""

from __future__ import annotations

import pghistory
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.models.observation import Observation
from mapping.models.places import Place
from mapping.models.vocab import PermitType


class LotKind(models.TextChoices):
    PUBLIC = "public", _("Public (공영)")
    PRIVATE = "private", _("Private (민영)")
    ON_STREET = "on_street", _("On-street (노상)")
    OFF_STREET = "off_street", _("Off-street (노외)")
    ATTACHED = "attached", _("Attached to a building (부설)")


# Statement-level history triggers: one trigger call per bulk statement (imports), same events.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    level=pghistory.Statement,
)
class DisabledParkingSpot(Observation):
    """One disabled-only bay, or a car park's group of them (``disabled_spaces`` counts the bays)."""

    resurvey_kind = "parking"

    geom = models.GeometryField(_("location"), srid=4326, help_text=_("Point or Polygon."))
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="parking_spots"
    )
    lot_name = models.CharField(_("car park name"), max_length=200, blank=True)
    lot_kind = models.CharField(
        _("car park kind"), max_length=20, choices=LotKind.choices, blank=True
    )
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    disabled_spaces = models.PositiveSmallIntegerField(
        _("disabled-only spaces"), null=True, blank=True, validators=[MaxValueValidator(2000)]
    )
    total_spaces = models.PositiveIntegerField(
        _("all spaces"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    has_signage = models.BooleanField(_("signage"), null=True, blank=True)
    has_access_aisle = models.BooleanField(_("access aisle"), null=True, blank=True)
    aisle_width_m = models.FloatField(
        _("aisle width (m)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.3), MaxValueValidator(10)],
    )
    space_width_m = models.FloatField(
        _("bay width (m)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    space_length_m = models.FloatField(
        _("bay length (m)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
    )
    distance_to_entrance_m = models.FloatField(
        _("distance to entrance (m)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    permit_type = models.CharField(
        _("permit"), max_length=20, choices=PermitType.choices, default=PermitType.DISABLED_PERMIT
    )
    has_ev_charger = models.BooleanField(_("EV charger"), null=True, blank=True)

    class Meta(Observation.Meta):
        verbose_name = _("disabled parking spot")
        verbose_name_plural = _("disabled parking spots")
        constraints = [
            *Observation.Meta.constraints,
            models.CheckConstraint(
                condition=Q(disabled_spaces__isnull=True)
                | Q(total_spaces__isnull=True)
                | Q(disabled_spaces__lte=models.F("total_spaces")),
                name="parking_disabled_within_total",
            ),
        ]
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return self.lot_name or f"parking {self.pk}"

    def cross_field_errors(self) -> dict[str, list[str]]:
        disabled, total = self.disabled_spaces, self.total_spaces
        if disabled is not None and total is not None and disabled > total:
            return {
                "disabled_spaces": [
                    str(_("%(disabled)s disabled spaces but only %(total)s spaces in total."))
                    % {"disabled": disabled, "total": total}
                ]
            }
        return {}
