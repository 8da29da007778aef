"""Thin API views: parse, check role, call a service, serialize."""

from __future__ import annotations

from typing import Any

import pghistory.models
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.permissions import OfficialOnly, OwnerOrRole, VolunteerWrite
from mapping import services
from mapping.filters import FeatureFilter, ParkingFilter, PlaceFilter
from mapping.models import (
    AccessibilityFeature,
    DisabledParkingSpot,
    EditConflict,
    Observation,
    Photo,
    Place,
    Source,
    Vote,
)
from mapping.photos import store_photo
from mapping.serializers import (
    EditConflictSerializer,
    FeatureSerializer,
    HistoryEventSerializer,
    ParkingSpotSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    PlaceSerializer,
    ReviewSerializer,
    VoteSerializer,
)
from modugil.pagination import FeaturePagination
from routing.profiles import build_profile

VERSION_PARAM = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag of the version you edited, e.g. "v3".',
)


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_PARAM]),
    partial_update=extend_schema(parameters=[VERSION_PARAM]),
    destroy=extend_schema(parameters=[VERSION_PARAM]),
)
class ObservationViewSet(viewsets.ModelViewSet):
    """CRUD with optimistic concurrency, soft delete, history, votes, photos and official review."""

    permission_classes = [VolunteerWrite, OwnerOrRole]
    pagination_class = FeaturePagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    model: type[Observation]

    def get_queryset(self) -> QuerySet:
        return self.model.objects.select_related("observer").order_by("-updated_at", "-id")

    # -- create: a replayed client_id returns the first result instead of a duplicate
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client_id = request.data.get("client_id") if hasattr(request.data, "get") else None
        if client_id:
            existing = self.model.all_objects.filter(client_id=client_id).first()  # type: ignore[attr-defined]
            if existing is not None:
                return self._respond(existing, status.HTTP_200_OK)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                obj = serializer.save(observer=request.user, source=Source.SURVEY)
        except IntegrityError:
            existing = (
                self.model.all_objects.filter(client_id=client_id).first() if client_id else None
            )  # type: ignore[attr-defined]
            if existing is None:
                raise
            return self._respond(existing, status.HTTP_200_OK)
        return self._respond(obj, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object(), status.HTTP_200_OK)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        version, via_header = services.expected_version(
            request.headers.get("If-Match"), request.data.get("version")
        )
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)

        def apply(locked: Observation) -> Observation:
            serializer.instance = locked
            return serializer.save()  # type: ignore[no-any-return]

        obj = services.versioned_write(
            instance,
            version=version,
            via_header=via_header,
            user=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
            attempted=_json_body(request),
            method=request.method or "PUT",
            apply=apply,
        )
        return self._respond(obj, status.HTTP_200_OK)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        version, via_header = services.expected_version(
            request.headers.get("If-Match"), request.query_params.get("version")
        )
        services.versioned_write(
            instance,
            version=version,
            via_header=via_header,
            user=request.user,  # type: ignore[arg-type]
            attempted={"delete": True},
            method="DELETE",
            apply=services.soft_delete,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        profile = self.request.query_params.get("profile") if self.request else None
        if profile:
            context["profile"] = build_profile(profile)
        return context

    def _respond(self, obj: Observation, code: int) -> Response:
        obj.refresh_from_db()
        response = Response(self.get_serializer(obj).data, status=code)
        response["ETag"] = obj.etag
        return response

    @extend_schema(responses=HistoryEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Every change to this contribution, oldest first, with the diff and who made it."""
        obj = self.get_object()
        events = list(
            pghistory.models.Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id")
        )
        user_ids = {
            int(e.pgh_context["user"])
            for e in events
            if e.pgh_context and e.pgh_context.get("user")
        }
        names = {u.pk: u.public_name for u in User.objects.filter(pk__in=user_ids)}
        data = HistoryEventSerializer(events, many=True, context={"user_names": names}).data
        return Response(data)

    @extend_schema(request=VoteSerializer, responses=VoteSerializer(many=True))
    @action(detail=True, methods=["get", "post"], permission_classes=[VolunteerWrite])
    def votes(self, request: Request, pk: str | None = None) -> Response:
        """Agree / disagree / unsure, optionally with corrected values; one vote per person."""
        obj = self.get_object()
        if request.method == "GET":
            votes = Vote.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model), object_id=obj.pk
            ).select_related("user")
            return Response(VoteSerializer(votes, many=True).data)
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vote = services.cast_vote(
            obj,
            request.user,  # type: ignore[arg-type]
            serializer.validated_data["value"],
            corrected=serializer.validated_data.get("corrected"),
            comment=serializer.validated_data.get("comment", ""),
        )
        return Response(VoteSerializer(vote).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewSerializer, responses=None)
    @action(detail=True, methods=["post"], permission_classes=[OfficialOnly])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """An official validates or rejects a contribution, with a reason."""
        obj = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.review(obj, request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return self._respond(obj, status.HTTP_200_OK)

    @extend_schema(
        request={"multipart/form-data": PhotoSerializer}, responses=PhotoSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"], permission_classes=[VolunteerWrite])
    def photos(self, request: Request, pk: str | None = None) -> Response:
        """Photos of this contribution; uploads are re-encoded with EXIF removed (orientation kept)."""
        obj = self.get_object()
        if request.method == "GET":
            photos = Photo.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=obj.pk,
                deleted_at__isnull=True,
            )
            return Response(PhotoSerializer(photos, many=True, context={"request": request}).data)
        upload = request.FILES.get("image")
        if upload is None:
            return Response(
                {
                    "detail": "No image.",
                    "code": "invalid",
                    "errors": {"image": ["This field is required."]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        meta = PhotoUploadSerializer(data=request.data)
        meta.is_valid(raise_exception=True)
        known = meta.validated_data.get("client_id")
        replay = known is not None and Photo.objects.filter(client_id=known).exists()
        photo = store_photo(
            obj,
            upload,
            request.user,  # type: ignore[arg-type]
            meta.validated_data.get("caption", ""),
            client_id=known,
        )
        code = status.HTTP_200_OK if replay else status.HTTP_201_CREATED
        return Response(PhotoSerializer(photo, context={"request": request}).data, status=code)
        return Response(
            PhotoSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _json_body(request: Request) -> Any:
    data = request.data
    if hasattr(data, "dict"):
        return data.dict()
    return data


class FeatureViewSet(ObservationViewSet):
    """Accessibility features on the pedestrian network (kerbs, steps, ramps, elevators...)."""

    model = AccessibilityFeature
    serializer_class = FeatureSerializer
    filterset_class = FeatureFilter


class PlaceViewSet(ObservationViewSet):
    """Places with measured accessibility; add ``?profile=`` for a rating derived for that profile."""

    model = Place
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilter

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("entrances")


class ParkingSpotViewSet(ObservationViewSet):
    """Disabled-only parking bays and car parks with their bay counts."""

    model = DisabledParkingSpot
    serializer_class = ParkingSpotSerializer
    filterset_class = ParkingFilter


class EditConflictViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Edits refused as stale: your own, or everyone's for officials. Nothing is lost."""

    serializer_class = EditConflictSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return EditConflict.objects.none()
        qs = EditConflict.objects.select_related("content_type").order_by("-created_at")
        user = self.request.user
        return qs if user.is_official else qs.filter(user=user)  # type: ignore[misc]
