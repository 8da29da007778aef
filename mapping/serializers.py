"""GeoJSON serializers; input validation lives here and names the offending field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from mapping.models import (
    AccessibilityFeature,
    DisabledParkingSpot,
    EditConflict,
    Entrance,
    Photo,
    Place,
    Vote,
)
from mapping.ratings import rate_place
from modugil.errors import InvalidInput
from modugil.geo import check_geometry
from routing.profiles import Profile

OBSERVATION_READ_ONLY = (
    "source",
    "source_dataset",
    "source_ref",
    "osm_type",
    "osm_id",
    "osm_version",
    "confidence",
    "status",
    "agree_count",
    "disagree_count",
    "unsure_count",
    "last_verified_at",
    "resurvey_due_at",
    "version",
    "created_at",
    "updated_at",
)
OBSERVATION_FIELDS = (
    "id",
    *OBSERVATION_READ_ONLY,
    "observed_at",
    "observer_name",
    "age_days",
    "note",
    "client_id",
)


class ObservationSerializer(GeoFeatureModelSerializer):
    """Provenance and review fields are read-only: the crowd and officials set them through votes."""

    allowed_geometry_types: tuple[str, ...] = ("Point",)

    observer_name = serializers.SerializerMethodField()
    age_days = serializers.IntegerField(read_only=True)
    client_id = serializers.UUIDField(required=False, allow_null=True)

    def get_observer_name(self, obj: Any) -> str | None:
        return obj.observer.public_name if obj.observer_id else None

    def validate_geom(self, value: GEOSGeometry) -> GEOSGeometry:
        try:
            return check_geometry(value, allowed_types=self.allowed_geometry_types)
        except InvalidInput as e:
            raise serializers.ValidationError(e.message) from e

    def validate_observed_at(self, value: Any) -> Any:
        now = timezone.now()
        if value > now + timedelta(minutes=10):
            raise serializers.ValidationError(_("Observation time is in the future."))
        if value.year < 1990:
            raise serializers.ValidationError(_("Observation time is implausibly old."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Cross-field rules live on the model; check them on the would-be result."""
        model = self.Meta.model  # type: ignore[attr-defined]
        current = (
            {}
            if self.instance is None
            else {f.attname: getattr(self.instance, f.attname) for f in model._meta.concrete_fields}
        )
        scalar = {
            k: v for k, v in attrs.items() if k in {f.name for f in model._meta.concrete_fields}
        }
        candidate = model(**{**current, **scalar})
        errors = candidate.cross_field_errors()
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def validate_client_id(self, value: Any) -> Any:
        if self.instance is not None and value and value != self.instance.client_id:
            raise serializers.ValidationError(_("client_id cannot change."))
        return value


class FeatureSerializer(ObservationSerializer):
    allowed_geometry_types = ("Point", "LineString")

    class Meta:
        model = AccessibilityFeature
        geo_field = "geom"
        fields = (
            *OBSERVATION_FIELDS,
            "feature_type",
            "place",
            "kerb",
            "kerb_height_cm",
            "step_count",
            "step_height_cm",
            "handrail",
            "ramp_wheelchair",
            "incline_pct",
            "width_m",
            "surface",
            "smoothness",
            "elevator_working",
            "elevator_status_at",
            "opening_hours",
            "is_temporary",
            "expires_at",
            "tactile_paving",
            "crossing",
            "crossing_signals",
            "wheelchair_tag",
            "description",
        )
        read_only_fields = OBSERVATION_READ_ONLY

    def validate_expires_at(self, value: Any) -> Any:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("Expiry must be in the future."))
        return value


class ParkingSpotSerializer(ObservationSerializer):
    allowed_geometry_types = ("Point", "Polygon", "MultiPolygon")

    class Meta:
        model = DisabledParkingSpot
        geo_field = "geom"
        fields = (
            *OBSERVATION_FIELDS,
            "place",
            "lot_name",
            "lot_kind",
            "operator",
            "address",
            "disabled_spaces",
            "total_spaces",
            "has_signage",
            "has_access_aisle",
            "aisle_width_m",
            "space_width_m",
            "space_length_m",
            "distance_to_entrance_m",
            "permit_type",
            "has_ev_charger",
        )
        read_only_fields = OBSERVATION_READ_ONLY


class EntranceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entrance
        fields = (
            "id",
            "name",
            "is_main",
            "has_steps",
            "step_count",
            "step_height_cm",
            "has_threshold",
            "threshold_height_cm",
            "has_ramp",
            "ramp_incline_pct",
            "door_width_cm",
            "is_automatic_door",
        )


class PlaceSerializer(ObservationSerializer):
    entrances = EntranceSerializer(many=True, required=False)
    rating = serializers.SerializerMethodField()

    class Meta:
        model = Place
        geo_field = "geom"
        fields = (
            *OBSERVATION_FIELDS,
            "name",
            "name_en",
            "category",
            "address",
            "phone",
            "website",
            "opening_hours",
            "wheelchair_tag",
            "is_ground_floor",
            "toilet_accessible",
            "toilet_grab_bars",
            "toilet_door_width_cm",
            "parking_disabled_spaces",
            "has_elevator",
            "elevator_working",
            "extra",
            "entrances",
            "rating",
        )
        read_only_fields = OBSERVATION_READ_ONLY

    def get_rating(self, obj: Place) -> dict[str, Any] | None:
        profile: Profile | None = self.context.get("profile")
        if profile is None:
            return None
        rating = rate_place(obj, profile)
        return {"profile": profile.key, "grade": rating.grade, "reasons": rating.reasons}

    def validate_extra(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Must be a JSON object."))
        return value

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Place:
        entrances = validated_data.pop("entrances", [])
        place = super().create(validated_data)
        for entrance in entrances:
            Entrance.objects.create(place=place, **entrance)
        return place

    @transaction.atomic
    def update(self, instance: Place, validated_data: dict[str, Any]) -> Place:
        entrances = validated_data.pop("entrances", None)
        place = super().update(instance, validated_data)
        if entrances is not None:  # a full list replaces the old one; history keeps the old rows
            place.entrances.all().delete()
            for entrance in entrances:
                Entrance.objects.create(place=place, **entrance)
        return place


class VoteSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.public_name", read_only=True)

    class Meta:
        model = Vote
        fields = ("id", "value", "corrected", "comment", "user_name", "created_at", "updated_at")
        read_only_fields = ("id", "user_name", "created_at", "updated_at")

    def validate_corrected(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Must be an object of {field: value}."))
        return value


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["validated", "rejected"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.ImageField(source="image", read_only=True)
    image = serializers.FileField(write_only=True)

    class Meta:
        model = Photo
        fields = (
            "id",
            "key",
            "url",
            "image",
            "caption",
            "client_id",
            "taken_at",
            "width_px",
            "height_px",
            "uploaded_at",
        )
        read_only_fields = (
            "id",
            "key",
            "url",
            "client_id",
            "taken_at",
            "width_px",
            "height_px",
            "uploaded_at",
        )


class PhotoUploadSerializer(serializers.Serializer):
    """The form fields that come with an uploaded image (the file itself is checked in photos.py)."""

    caption = serializers.CharField(required=False, allow_blank=True, max_length=300)
    client_id = serializers.UUIDField(required=False, allow_null=True)


class EditConflictSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = EditConflict
        fields = (
            "id",
            "target_type",
            "object_id",
            "base_version",
            "current_version",
            "attempted",
            "method",
            "created_at",
            "resolved_at",
        )
        read_only_fields = fields


class HistoryEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="pgh_created_at")
    label = serializers.CharField(source="pgh_label")  # type: ignore[assignment]
    model = serializers.CharField(source="pgh_model")
    changes = serializers.JSONField(source="pgh_diff")
    data = serializers.JSONField(source="pgh_data")  # type: ignore[assignment]
    user = serializers.SerializerMethodField()
    via = serializers.SerializerMethodField()

    def get_user(self, event: Any) -> str | None:
        user_id = (event.pgh_context or {}).get("user")
        return self.context.get("user_names", {}).get(int(user_id)) if user_id is not None else None

    def get_via(self, event: Any) -> str | None:
        context = event.pgh_context or {}
        return context.get("url") or context.get("importer")
