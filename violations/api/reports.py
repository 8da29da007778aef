"""Violation reports: citizens submit and follow their own; officials review, decide and redact."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Role, User
from accounts.permissions import OfficialOnly, has_role
from modugil.errors import InvalidInput
from modugil.pagination import FeaturePagination
from violations import crypto, photo_review, workflow
from violations.access_log import log_private_views
from violations.api.serializers import (
    CitizenReportInput,
    HistorySerializer,
    NoteSerializer,
    OfficialReportSerializer,
    PhotoSerializer,
    RegionsInput,
    ReporterReportSerializer,
    ReviewInput,
    TransitionInput,
)
from violations.history import report_events
from violations.intake.citizen import CitizenReport, submit
from violations.models import AccessChannel, Channel, ViolationPhoto, ViolationReport

LIST_FILTERS = {
    "status": "status",
    "type": "violation_type",
    "source": "source",
    "district": "district",
    "spot": "spot_id",
}


class ReportViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Citizens file reports (≥2 photos ≥1 minute apart) and see their own; officials see all."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    pagination_class = FeaturePagination
    queryset = ViolationReport.objects.none()

    def get_queryset(self) -> QuerySet[ViolationReport]:
        if getattr(self, "swagger_fake_view", False):
            return ViolationReport.objects.none()
        qs = ViolationReport.objects.select_related("reporter", "spot").order_by(
            "-occurred_at", "-id"
        )
        user = self.request.user
        if not has_role(user, Role.OFFICIAL):
            return qs.filter(reporter=user)  # type: ignore[misc]
        qs = qs.prefetch_related("photos")
        params = self.request.query_params
        for param, field in LIST_FILTERS.items():
            if params.get(param):
                qs = qs.filter(**{f"{field}__in": params[param].split(",")})
        if params.get("plate"):
            qs = qs.filter(plate_hash=crypto.plate_hash(crypto.normalise_plate(params["plate"])))
        return qs

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return CitizenReportInput
        return OfficialReportSerializer if self._official() else ReporterReportSerializer

    def _official(self) -> bool:
        return has_role(self.request.user, Role.OFFICIAL)

    def _log_private(self, request: Request, reports: list[ViolationReport]) -> None:
        """Officials' responses carry decrypted plates and contacts: each view is recorded."""
        if self._official():
            log_private_views(
                reports,
                request.user,  # type: ignore[arg-type]
                channel=AccessChannel.API,
                path=request.get_full_path(),
            )

    @extend_schema(request=CitizenReportInput, responses=ReporterReportSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CitizenReportInput(data=_form_data(request))
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report, created = submit(
            CitizenReport(
                lon=v["lon"],
                lat=v["lat"],
                violation_type=v["violation_type"],
                channel=Channel.API,
                photos=request.FILES.getlist("photos"),
                photo_taken_at=v.get("photo_taken_at", []),
                plate=v.get("plate", ""),
                plate_visible=v.get("plate_visible"),
                description=v.get("description", ""),
                place_text=v.get("place_text", ""),
                contact={"phone": v.get("contact_phone"), "email": v.get("contact_email")},
                client_id=v.get("client_id"),
            ),
            request.user,  # type: ignore[arg-type]
        )
        body = ReporterReportSerializer(report, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = page if page is not None else list(self.get_queryset())
        self._log_private(request, rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        self._log_private(request, [report])
        response = Response(self.get_serializer(report).data)
        response["ETag"] = report.etag
        return response

    @extend_schema(request=TransitionInput, responses=OfficialReportSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """Move the report along the workflow; the rules (and roles) live in violations.workflow."""
        report = self._report(pk)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        original = None
        if v.get("duplicate_of"):
            original = ViolationReport.objects.filter(pk=v["duplicate_of"]).first()
            if original is None:
                raise InvalidInput("No such report.", fields={"duplicate_of": ["Not found."]})
        version = _if_match(request.headers.get("If-Match")) or v.get("version")
        report = workflow.transition(
            report,
            v["to"],
            actor=request.user,  # type: ignore[arg-type]
            reason=v.get("reason", ""),
            note=v.get("note", ""),
            duplicate_of=original,
            expected_version=version,
        )
        self._log_private(request, [report])
        response = Response(OfficialReportSerializer(report, context={"request": request}).data)
        response["ETag"] = report.etag
        return response

    @extend_schema(request=NoteSerializer, responses=NoteSerializer(many=True))
    @action(detail=True, methods=["get", "post"], permission_classes=[OfficialOnly])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        """Officials' internal notes (never published)."""
        report = self._report(pk)
        if request.method == "POST":
            data = NoteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            workflow.add_note(
                report,
                data.validated_data["text"],
                author=request.user,  # type: ignore[arg-type]
                expected_version=_if_match(request.headers.get("If-Match"))
                or data.validated_data.get("version"),
            )
            code: int = status.HTTP_201_CREATED
        else:
            code = status.HTTP_200_OK
        return Response(
            NoteSerializer(report.notes.select_related("author"), many=True).data, status=code
        )

    @extend_schema(responses=HistorySerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[OfficialOnly])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Every change with who made it and the transition; plate and contacts masked."""
        events, names = report_events(self._report(pk))
        return Response(HistorySerializer(events, many=True, context={"user_names": names}).data)

    def _report(self, pk: str | None) -> ViolationReport:
        return get_object_or_404(ViolationReport, pk=pk)


def _form_data(request: Request) -> dict[str, Any]:
    """Multipart lists (photos, photo_taken_at) as lists; everything else as single values."""
    data = request.data
    if not hasattr(data, "getlist"):
        return dict(data)
    flat: dict[str, Any] = {k: data.get(k) for k in data if k not in ("photos", "photo_taken_at")}
    flat["photo_taken_at"] = [t or None for t in data.getlist("photo_taken_at")]
    return flat


def _if_match(header: str | None) -> int | None:
    if not header:
        return None
    text = header.strip().strip('W/"').lstrip("v")
    if not text.isdigit():
        raise InvalidInput('If-Match must be an ETag such as "v3".', fields={"If-Match": [header]})
    return int(text)


def _photo(key: str) -> ViolationPhoto:
    return get_object_or_404(ViolationPhoto.objects.select_related("report"), key=key)


def _stream(field: Any) -> FileResponse:
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema(responses={(200, "image/jpeg"): bytes})
@api_view(["GET"])
@permission_classes([OfficialOnly])
def photo_original(request: Request, key: str) -> FileResponse:
    """The unredacted evidence photo: officials only."""
    return _stream(_photo(key).original)


@extend_schema(responses={(200, "image/jpeg"): bytes})
@api_view(["GET"])
@permission_classes([OfficialOnly])
def photo_redacted(request: Request, key: str) -> FileResponse:
    """The redacted copy awaiting (or after) an official's check."""
    return _stream(_photo(key).redacted)


@extend_schema(responses={(200, "image/jpeg"): bytes})
@api_view(["GET"])
@permission_classes([AllowAny])
def photo_public(request: Request, key: str) -> FileResponse:
    """A redacted photo an official approved; anything else is 404 to the public."""
    photo = _photo(key)
    if not photo.is_published:
        raise Http404
    response = _stream(photo.redacted)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@extend_schema(request=RegionsInput, responses=PhotoSerializer)
@api_view(["POST"])
@permission_classes([OfficialOnly])
def photo_redaction(request: Request, key: str) -> Response:
    """Manual redaction: rectangles [[x, y, w, h], ...] added to the automatic ones.

    Needs the revision the official saw (``If-Match: "v3"`` or ``revision``): 412 when stale."""
    data = RegionsInput(data=request.data)
    data.is_valid(raise_exception=True)
    user: User = request.user  # type: ignore[assignment]
    photo = photo_review.set_manual_regions(
        _photo(key),
        data.validated_data["regions"],
        user,
        expected_revision=_revision(request, data.validated_data),
    )
    return _photo_response(photo)


@extend_schema(request=ReviewInput, responses=PhotoSerializer)
@api_view(["POST"])
@permission_classes([OfficialOnly])
def photo_review_view(request: Request, key: str) -> Response:
    """Approve (publish the redacted copy) or reject the revision the official checked."""
    data = ReviewInput(data=request.data)
    data.is_valid(raise_exception=True)
    user: User = request.user  # type: ignore[assignment]
    photo = photo_review.review(
        _photo(key),
        data.validated_data["decision"],
        user,
        expected_revision=_revision(request, data.validated_data),
    )
    return _photo_response(photo)


def _revision(request: Request, data: dict[str, Any]) -> int | None:
    """The photo revision from ``If-Match`` or the body; the service refuses it missing (428)."""
    header = _if_match(request.headers.get("If-Match"))
    return header if header is not None else data.get("revision")


def _photo_response(photo: ViolationPhoto) -> Response:
    response = Response(PhotoSerializer(photo).data)
    response["ETag"] = photo.etag
    return response
