"""스스로해결단 teams (residents, officials, experts, volunteers) and their mapping campaigns."""

from __future__ import annotations

from typing import TypedDict

import pghistory
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.models import AccessibilityFeature, DisabledParkingSpot, FeatureType, Place, Source


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Resident leader")
    OFFICIAL = "official", _("Official")
    EXPERT = "expert", _("Tech expert")
    VOLUNTEER = "volunteer", _("Volunteer")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    region_name = models.CharField(_("region"), max_length=120, blank=True)
    area = models.MultiPolygonField(_("area"), srid=4326, null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=TeamRole.choices, default=TeamRole.VOLUNTEER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="membership_once")]


# What a campaign can target: a feature type, or whole places / parking spots.
CAMPAIGN_TARGETS = [*FeatureType.values, "place", "parking"]


class Progress(TypedDict):
    done: int
    target: int
    percent: float
    by_type: dict[str, int]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Campaign(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    area = models.PolygonField(_("area"), srid=4326)
    target_types = ArrayField(
        models.CharField(max_length=30, choices=[(t, t) for t in CAMPAIGN_TARGETS]),
        verbose_name=_("target types"),
    )
    target_count = models.PositiveIntegerField(_("target count"), default=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def contributions(self) -> dict[str, int]:
        """Volunteers' contributions inside the area during the campaign, by target type.

        Imports (OSM, public data) landing in the window are not the team's work and do not count.
        """
        window = {
            "source": Source.SURVEY,
            "geom__intersects": self.area,
            "created_at__date__gte": self.starts_on,
            "created_at__date__lte": self.ends_on,
        }
        feature_types = [t for t in self.target_types if t in FeatureType.values]
        counts: dict[str, int] = {}
        if feature_types:
            rows = (
                AccessibilityFeature.objects.filter(feature_type__in=feature_types, **window)
                .values_list("feature_type")
                .annotate(n=models.Count("id"))
            )
            counts.update(dict(rows))
        if "place" in self.target_types:
            counts["place"] = Place.objects.filter(**window).count()
        if "parking" in self.target_types:
            counts["parking"] = DisabledParkingSpot.objects.filter(**window).count()
        return counts

    def progress(self) -> Progress:
        by_type = self.contributions()
        done = sum(by_type.values())
        percent = (
            round(100 * min(done, self.target_count) / self.target_count, 1)
            if self.target_count
            else 0.0
        )
        return {"done": done, "target": self.target_count, "percent": percent, "by_type": by_type}
