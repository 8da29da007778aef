"""Request and response shapes of the import and export API (validation names the field)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from importers.exports import LAYERS
from importers.models import ImportRun, PendingGeocode
from importers.registry import SOURCES
from modugil.geo import parse_bbox


class ExportQuerySerializer(serializers.Serializer):
    layer = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(LAYERS)),
        required=False,
        help_text="Repeatable. Default: every layer (CSV: places).",
    )
    dataset = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    bbox = serializers.CharField(
        required=False, help_text="lon_min,lat_min,lon_max,lat_max (WGS84)"
    )
    updated_since = serializers.DateTimeField(required=False)
    include_rejected = serializers.BooleanField(
        default=False, help_text="Also rows reviewed as incorrect (officials only)."
    )
    include_unreviewed = serializers.BooleanField(
        default=False, help_text="osmchange: also changes no official has validated yet."
    )

    def validate_bbox(self, value: str) -> tuple[float, float, float, float]:
        return parse_bbox(value)


class ExportFormatSerializer(serializers.Serializer):
    name = serializers.CharField()
    media_type = serializers.CharField()
    extension = serializers.CharField()
    description = serializers.CharField()
    official_only = serializers.BooleanField()


class ExportCatalogueSerializer(serializers.Serializer):
    formats = ExportFormatSerializer(many=True)
    layers = serializers.ListField(child=serializers.CharField())
    attribution = serializers.CharField()


class ImportRequestSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=sorted(SOURCES))  # type: ignore[assignment]
    file = serializers.FileField()
    commit = serializers.BooleanField(default=False, help_text="Write; default is a dry run.")
    strict = serializers.BooleanField(default=False, help_text="Any rejected row writes nothing.")
    outside_service_area = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Reason to skip the service-area check for this file (foreign reference data).",
    )

    def validate_file(self, value: Any) -> Any:
        limit = settings.IMPORTERS_MAX_UPLOAD_BYTES
        if value.size > limit:
            raise serializers.ValidationError(
                f"The file is {value.size} bytes; the limit is {limit}."
            )
        return value


class RowOutcomeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    key = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]
    flags = serializers.ListField(child=serializers.CharField())


class ImportResultSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]
    dataset = serializers.CharField()
    committed = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField())
    notes = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField(allow_blank=True)
    problems = RowOutcomeSerializer(
        many=True, help_text="Rows rejected or needing geocoding (first 500)."
    )


class ImportRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRun
        fields = (
            "id",
            "source",
            "dataset",
            "path",
            "sha256",
            "committed",
            "status",
            "counts",
            "notes",
            "message",
            "rejected",
            "started_at",
            "finished_at",
        )


class PendingGeocodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PendingGeocode
        fields = (
            "id",
            "source",
            "dataset",
            "model",
            "key",
            "row",
            "addresses",
            "values",
            "status",
            "attempts",
            "last_error",
            "resolved_by",
            "created_at",
            "updated_at",
        )


class LocateSerializer(serializers.Serializer):
    """Range, swap and service-area checks are the pipeline's (they explain a swap)."""

    lon = serializers.FloatField()
    lat = serializers.FloatField()
