"""API shapes. Officials see plates and contacts (decrypted); reporters see their own report
without them; nothing here is served to anonymous callers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from violations import crypto, workflow
from violations.models import (
    DecisionReason,
    ReportNote,
    SensorEventKind,
    ViolationPhoto,
    ViolationReport,
    ViolationType,
)

PRIVATE_FIELDS = ("plate_hash", "plate_encrypted", "reporter_contact_encrypted", "description")


# mapping's photos are "Photo" in the OpenAPI schema: two components of one name would merge.
@extend_schema_serializer(component_name="ViolationPhoto")
class PhotoSerializer(serializers.ModelSerializer):
    original_url = serializers.SerializerMethodField()
    redacted_url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = ViolationPhoto
        fields = (
            "key",
            "position",
            "taken_at",
            "taken_at_source",
            "width_px",
            "height_px",
            "sha256",
            "auto_regions",
            "manual_regions",
            "redaction_status",
            "reviewed_at",
            "revision",
            "original_url",
            "redacted_url",
            "public_url",
        )

    def get_original_url(self, obj: ViolationPhoto) -> str:
        return reverse("violation-photo-original", args=[obj.key])

    def get_redacted_url(self, obj: ViolationPhoto) -> str:
        return reverse("violation-photo-redacted", args=[obj.key])

    def get_public_url(self, obj: ViolationPhoto) -> str | None:
        return reverse("violation-photo-public", args=[obj.key]) if obj.is_published else None


class OfficialReportSerializer(GeoFeatureModelSerializer):
    plate = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    reporter_name = serializers.SerializerMethodField()
    spot_name = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ViolationReport
        geo_field = "geom"
        fields = (
            "id",
            "occurred_at",
            "occurred_until",
            "time_precision",
            "violation_type",
            "source",
            "channel",
            "status",
            "case_count",
            "spot",
            "spot_name",
            "spot_distance_m",
            "district",
            "place_text",
            "description",
            "plate",
            "plate_visible",
            "reporter_name",
            "contact",
            "duplicate_of",
            "decision_reason",
            "decided_at",
            "source_dataset",
            "source_line",
            "version",
            "created_at",
            "updated_at",
            "allowed_transitions",
            "photos",
        )

    def get_plate(self, obj: ViolationReport) -> str:
        return crypto.decrypt(obj.plate_encrypted)

    def get_contact(self, obj: ViolationReport) -> dict[str, Any]:
        return crypto.decrypt_contact(obj.reporter_contact_encrypted)

    def get_reporter_name(self, obj: ViolationReport) -> str | None:
        return obj.reporter.public_name if obj.reporter_id else None  # type: ignore[union-attr]

    def get_spot_name(self, obj: ViolationReport) -> str | None:
        return str(obj.spot) if obj.spot_id else None

    def get_allowed_transitions(self, obj: ViolationReport) -> list[str]:
        request = self.context.get("request")
        return workflow.allowed_targets(obj.status, getattr(request, "user", None))


class ReporterReportSerializer(GeoFeatureModelSerializer):
    """A citizen's own report: status and decision, never the plate or photos' originals."""

    photo_count = serializers.IntegerField(source="photos.count", read_only=True)

    class Meta:
        model = ViolationReport
        geo_field = "geom"
        fields = (
            "id",
            "occurred_at",
            "violation_type",
            "status",
            "decision_reason",
            "decided_at",
            "spot",
            "description",
            "photo_count",
            "created_at",
        )


class CitizenReportInput(serializers.Serializer):
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    violation_type = serializers.ChoiceField(choices=ViolationType.choices)
    plate = serializers.CharField(required=False, allow_blank=True, max_length=20)
    plate_visible = serializers.BooleanField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    place_text = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False)
    photo_taken_at = serializers.ListField(
        child=serializers.DateTimeField(allow_null=True), required=False
    )
    client_id = serializers.UUIDField(required=False, allow_null=True)


class TransitionInput(serializers.Serializer):
    to = serializers.CharField()
    reason = serializers.ChoiceField(
        choices=DecisionReason.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    duplicate_of = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True)


class NoteSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        write_only=True, required=False, allow_null=True, help_text="The report version you read."
    )

    class Meta:
        model = ReportNote
        fields = ("id", "text", "author_name", "created_at", "version")
        read_only_fields = ("id", "author_name", "created_at")

    def get_author_name(self, obj: ReportNote) -> str | None:
        return obj.author.public_name if obj.author_id else None  # type: ignore[union-attr]


class HistorySerializer(serializers.Serializer):
    """pghistory events with private values masked: history shows *that* a plate changed."""

    at = serializers.DateTimeField(source="pgh_created_at")
    label = serializers.CharField(source="pgh_label")  # type: ignore[assignment]
    changes = serializers.SerializerMethodField()
    transition = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()
    user = serializers.SerializerMethodField()

    def get_changes(self, event: Any) -> dict[str, Any]:
        diff = event.pgh_diff or {}
        return {k: ["(hidden)", "(hidden)"] if k in PRIVATE_FIELDS else v for k, v in diff.items()}

    def get_transition(self, event: Any) -> str | None:
        return (event.pgh_context or {}).get("transition")

    def get_reason(self, event: Any) -> str | None:
        return (event.pgh_context or {}).get("reason")

    def get_user(self, event: Any) -> str | None:
        user_id = (event.pgh_context or {}).get("user")
        return self.context.get("user_names", {}).get(int(user_id)) if user_id else None


class RegionsInput(serializers.Serializer):
    regions = serializers.JSONField()
    revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The photo revision you checked (or send If-Match); required.",
    )


class ReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The photo revision you checked (or send If-Match); required.",
    )


class SensorEventInput(serializers.Serializer):
    event_id = serializers.CharField(max_length=100)
    session_id = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=SensorEventKind.choices)
    occurred_at = serializers.DateTimeField()
    plate = serializers.CharField(required=False, allow_blank=True, max_length=20)
    permit_valid = serializers.BooleanField(required=False, allow_null=True, default=None)
