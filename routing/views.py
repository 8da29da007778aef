"""Built pedestrian graphs: which are active, and their data-quality report per area."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modugil.errors import NotFound
from modugil.geo import parse_bbox
from routing.graph.quality import quality_report
from routing.graph.store import GraphNotBuilt, get_graph
from routing.models import GraphBuild
from routing.serializers import GraphBuildSerializer


class GraphListView(generics.ListAPIView):
    """Active graphs with their source hash, build time, size and unknown-attribute shares."""

    queryset = GraphBuild.objects.filter(is_active=True).order_by("name")
    serializer_class = GraphBuildSerializer
    pagination_class = None


class GraphQualityView(APIView):
    """Data-quality report of a graph, or of the part inside ``bbox``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("bbox", str, description="lon_min,lat_min,lon_max,lat_max"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, name: str) -> Response:
        build = GraphBuild.objects.filter(name=name, is_active=True).first()
        if build is None:
            raise NotFound(f"No active graph named {name!r}.")
        bbox_text = request.query_params.get("bbox")
        if not bbox_text:
            return Response(build.quality)
        bbox = parse_bbox(bbox_text)
        try:
            graph = get_graph(name)
        except GraphNotBuilt as e:
            raise NotFound(str(e)) from e
        report: dict[str, Any] = quality_report(graph, bbox=bbox, build_pk=build.pk)
        return Response(report)
