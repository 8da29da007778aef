"""Import and export API: thin views over the pipeline and the export registry.

Exports of open formats are public (the data is public through the list API anyway) and
throttled per client; rejected rows and the OSM write-back are for officials. Imports, runs and
the geocoding queue are for officials.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.http import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import OfficialOnly, has_role
from importers import pending
from importers.base import execute, run_import
from importers.exports import FORMATS, LAYERS, Selection, export_chunks
from importers.exports.attribution import OSM
from importers.models import ImportRun, PendingGeocode
from importers.records import ImportReport
from importers.registry import get_source
from importers.serializers import (
    ExportCatalogueSerializer,
    ExportQuerySerializer,
    ImportRequestSerializer,
    ImportResultSerializer,
    ImportRunSerializer,
    LocateSerializer,
    PendingGeocodeSerializer,
)
from importers.sources.pending_queue import ManualLocation
from modugil.errors import Forbidden, InvalidInput, NotFound

MAX_PROBLEMS = 500


class ExportThrottle(SimpleRateThrottle):
    """Bulk exports per user (or per address when anonymous); officials are not throttled."""

    scope = "exports"

    def get_rate(self) -> str:
        return settings.IMPORTERS_EXPORT_RATE

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if has_role(request.user, Role.OFFICIAL):
            return None
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ExportCatalogueView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=ExportCatalogueSerializer,
        summary="Export formats and layers",
        operation_id="exports_catalogue",
    )
    def get(self, request: Request) -> Response:
        formats = [f.__dict__ for f in FORMATS.values()]
        return Response({"formats": formats, "layers": list(LAYERS), "attribution": OSM})


EXPORT_RESPONSES = {
    (200, f.media_type): OpenApiResponse(OpenApiTypes.BINARY, description=f.description)
    for f in FORMATS.values()
}


class ExportView(APIView):
    """Download one export. OSM-derived rows carry the ODbL attribution in every format."""

    permission_classes = [AllowAny]
    throttle_classes = [ExportThrottle]

    @extend_schema(
        summary="Export places, features, parking and street scores",
        operation_id="exports_download",
        parameters=[
            OpenApiParameter(
                "export_format", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(FORMATS)
            ),
            ExportQuerySerializer,
        ],
        responses={
            **EXPORT_RESPONSES,
            400: OpenApiResponse(description="Bad parameter"),
            403: None,
        },
    )
    def get(self, request: Request, export_format: str) -> HttpResponseBase:
        if export_format not in FORMATS:
            raise NotFound(f"Unknown export format {export_format!r}; use {', '.join(FORMATS)}.")
        spec = FORMATS[export_format]
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        official = has_role(request.user, Role.OFFICIAL)
        if (spec.official_only or params["include_rejected"]) and not official:
            raise Forbidden(
                "Only officials may export this.", fields={"format": ["Officials only."]}
            )
        default_layers = ["places"] if export_format == "csv" else list(LAYERS)
        selection = Selection(
            layers=params.get("layer") or default_layers,
            datasets=params.get("dataset") or [],
            bbox=params.get("bbox"),
            include_rejected=params["include_rejected"],
            updated_since=params.get("updated_since"),
        )
        chunks = export_chunks(
            export_format, selection, reviewed_only=not params["include_unreviewed"]
        )
        first = next(chunks)  # raises here (as a 4xx) rather than half-way through a stream
        response = StreamingHttpResponse(_prepend(first, chunks), content_type=spec.media_type)
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="modugil-{stamp}.{spec.extension}"'
        return response


def _prepend(first: Any, rest: Any) -> Any:
    yield first
    yield from rest


def _result(report: ImportReport) -> dict[str, Any]:
    problems = [o.as_dict() for o in report.outcomes if o.errors][:MAX_PROBLEMS]
    return {
        "run": report.run_id,
        "source": report.source,
        "dataset": report.dataset,
        "committed": report.committed,
        "counts": report.counts,
        "notes": report.notes,
        "message": report.message,
        "problems": problems,
    }


class ImportView(APIView):
    """Officials upload a public dataset; a dry run unless ``commit`` is true."""

    permission_classes = [OfficialOnly]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import a file through a registered source",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportResultSerializer, 201: ImportResultSerializer},
    )
    def post(self, request: Request) -> Response:
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        upload = data["file"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            report = run_import(
                get_source(data["source"]),
                path,
                commit=data["commit"],
                strict=data["strict"],
                user=request.user,
                outside_service_area=data.get("outside_service_area", ""),
            )
        code = status.HTTP_201_CREATED if report.committed else status.HTTP_200_OK
        return Response(_result(report), status=code)


class ImportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every import run with its counts, notes and rejected rows (officials)."""

    permission_classes = [OfficialOnly]
    serializer_class = ImportRunSerializer
    queryset = ImportRun.objects.order_by("-pk")


class PendingGeocodeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Rows with an address but no location yet; an official can place one by hand."""

    permission_classes = [OfficialOnly]
    serializer_class = PendingGeocodeSerializer
    queryset = PendingGeocode.objects.filter(status=PendingGeocode.Status.PENDING).order_by("pk")
    filterset_fields = ("dataset", "source")

    @extend_schema(
        request=LocateSerializer,
        responses=ImportResultSerializer,
        summary="Place a pending row by hand",
    )
    @action(detail=True, methods=["post"])
    def locate(self, request: Request, pk: str | None = None) -> Response:
        row = get_object_or_404(PendingGeocode, pk=pk, status=PendingGeocode.Status.PENDING)
        form = LocateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        geom = Point(form.validated_data["lon"], form.validated_data["lat"], srid=4326)
        source = ManualLocation(row.dataset)
        report = ImportReport(source.name, f"pending/{row.pk}", "", row.dataset)
        execute(
            source, lambda: [pending.as_record(row, geom)], report, commit=True, user=request.user
        )
        if report.rejected:
            raise InvalidInput("This location was refused.", fields=report.rejected[0].errors)
        pending.mark_resolved([(pending.as_record(row), row.dataset, "manual")])
        return Response(_result(report))
