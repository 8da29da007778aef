"""Where a list should look: around a point, inside a bounding box, or inside a campaign's area."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.db.models import QuerySet
from django.http import QueryDict

from community.models import Campaign
from mapping.filters import in_bbox, near
from modugil.errors import InvalidInput, NotFound
from modugil.geo import parse_bbox, point


@dataclass(frozen=True)
class Area:
    """One of ``near`` (with ``radius_m``), ``bbox`` or ``campaign``; ``origin`` orders by distance."""

    origin: Point | None = None
    radius_m: float | None = None
    bbox: str | None = None
    campaign: Campaign | None = None

    def filter(self, queryset: QuerySet) -> QuerySet:
        if self.campaign is not None:
            queryset = queryset.filter(geom__intersects=self.campaign.area)
        if self.bbox is not None:
            queryset = in_bbox(queryset, self.bbox)
        if self.origin is not None and self.radius_m is not None:
            queryset = near(queryset, f"{self.origin.x},{self.origin.y}", self.radius_m)
        return queryset

    def order(self, queryset: QuerySet) -> QuerySet:
        """Nearest first when there is an origin (metres on the sphere), else newest first."""
        if self.origin is None:
            return queryset.order_by("-updated_at", "-id")
        return queryset.annotate(distance=Distance("geom", self.origin)).order_by("distance", "id")


def _origin(text: str) -> Point:
    try:
        lon, lat = (float(p) for p in text.split(","))
    except ValueError as e:
        raise InvalidInput("Expected near=lon,lat.", fields={"near": ["Expected lon,lat."]}) from e
    return point(lon, lat)


def _campaign(text: str) -> Campaign:
    try:
        return Campaign.objects.get(pk=int(text))
    except (ValueError, Campaign.DoesNotExist) as e:
        raise NotFound("No such campaign.", fields={"campaign": ["No such campaign."]}) from e


def area_from_query(params: QueryDict) -> Area:
    """Parse ``near``/``radius_m``, ``bbox`` and ``campaign``; at least one is required.

    ``near`` alone is a circle; with ``bbox`` or ``campaign`` it only orders results by distance.
    """
    near_text, bbox, campaign_id = params.get("near"), params.get("bbox"), params.get("campaign")
    if not (near_text or bbox or campaign_id):
        msg = "Give near=lon,lat, bbox=lon_min,lat_min,lon_max,lat_max or campaign=id."
        raise InvalidInput(msg, fields={"near": [msg]})
    if bbox:
        parse_bbox(bbox)
    campaign = _campaign(campaign_id) if campaign_id else None
    origin = _origin(near_text) if near_text else None
    radius_m: float | None = None
    if origin is not None and campaign is None and not bbox:
        try:
            radius_m = float(params.get("radius_m") or settings.VOLUNTEER_QUEST_RADIUS_M)
        except ValueError as e:
            msg = "radius_m must be a number."
            raise InvalidInput(msg, fields={"radius_m": ["Must be a number."]}) from e
    return Area(origin=origin, radius_m=radius_m, bbox=bbox or None, campaign=campaign)
