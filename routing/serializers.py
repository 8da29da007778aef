"""Read-only representations of built graphs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from routing.models import GraphBuild


class GraphBuildSerializer(serializers.ModelSerializer):
    bbox = GeometryField()
    unknown_share = serializers.SerializerMethodField()

    class Meta:
        model = GraphBuild
        fields = [
            "name",
            "build_id",
            "built_at",
            "source_format",
            "source_sha256",
            "dem_sha256",
            "format_version",
            "bbox",
            "node_count",
            "segment_count",
            "edge_count",
            "overlay_version",
            "overlay_updated_at",
            "unknown_share",
        ]

    def get_unknown_share(self, build: GraphBuild) -> dict[str, Any]:
        """Share of segments with each attribute unknown (from the stored QA report)."""
        known = build.quality.get("attributes_known", {})
        return {
            k: None if v["share"] is None else round(1 - v["share"], 4) for k, v in known.items()
        }
