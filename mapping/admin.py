"""GeoDjango admin with map widgets for officials; soft-deleted rows stay visible and filterable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from mapping.models import (
    AccessibilityFeature,
    DisabledParkingSpot,
    EditConflict,
    Entrance,
    Photo,
    Place,
    Vote,
)


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "Live"), ("yes", "Deleted")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


class ObservationAdmin(GISModelAdmin):
    gis_widget_kwargs = {"attrs": {"default_lon": 126.97, "default_lat": 37.55, "default_zoom": 12}}
    list_filter = ("status", "source", DeletedFilter)
    readonly_fields = (
        "version",
        "created_at",
        "updated_at",
        "deleted_at",
        "agree_count",
        "disagree_count",
        "unsure_count",
    )
    search_fields = ("source_ref", "note")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.all_objects.all()  # type: ignore[attr-defined, no-any-return]


class EntranceInline(admin.StackedInline):
    model = Entrance
    extra = 0


@admin.register(Place)
class PlaceAdmin(ObservationAdmin):
    list_display = ("name", "category", "source", "status", "confidence", "updated_at")
    list_filter = ("category", *ObservationAdmin.list_filter)  # type: ignore[assignment]
    search_fields = ("name", "address", *ObservationAdmin.search_fields)  # type: ignore[assignment]
    inlines = [EntranceInline]


@admin.register(AccessibilityFeature)
class FeatureAdmin(ObservationAdmin):
    list_display = (
        "id",
        "feature_type",
        "source",
        "status",
        "confidence",
        "resurvey_due_at",
        "updated_at",
    )
    list_filter = ("feature_type", *ObservationAdmin.list_filter)  # type: ignore[assignment]


@admin.register(DisabledParkingSpot)
class ParkingAdmin(ObservationAdmin):
    list_display = ("lot_name", "disabled_spaces", "total_spaces", "source", "status", "updated_at")
    search_fields = ("lot_name", "address", *ObservationAdmin.search_fields)  # type: ignore[assignment]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("content_type", "object_id", "user", "value", "updated_at")
    list_filter = ("value",)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("key", "content_type", "object_id", "uploaded_by", "taken_at", "uploaded_at")


@admin.register(EditConflict)
class EditConflictAdmin(admin.ModelAdmin):
    list_display = (
        "content_type",
        "object_id",
        "user",
        "base_version",
        "current_version",
        "created_at",
        "resolved_at",
    )
    readonly_fields = ("attempted",)
