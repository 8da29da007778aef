"""Admin views of import runs, the geocoding queue and street scores, for officials."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from importers.models import ImportRun, PendingGeocode, StreetAccessScore


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "source", "dataset", "committed", "status", "user")
    list_filter = ("source", "committed", "status")
    readonly_fields = [f.name for f in ImportRun._meta.fields]


@admin.register(PendingGeocode)
class PendingGeocodeAdmin(admin.ModelAdmin):
    list_display = ("key", "dataset", "model", "status", "resolved_by", "updated_at")
    list_filter = ("status", "dataset", "model")
    search_fields = ("key", "addresses")


@admin.register(StreetAccessScore)
class StreetAccessScoreAdmin(GISModelAdmin):
    list_display = ("street_edge_id", "score", "source_dataset", "status")
    list_filter = ("source_dataset", "status")
