"""Teams and campaigns: anyone reads, team leaders create campaigns for their own team."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.models import Role
from accounts.permissions import TeamLeaderWrite, has_role
from community.models import Campaign, Membership, Team, TeamRole
from community.serializers import CampaignSerializer, MembershipSerializer, TeamSerializer
from modugil.errors import Forbidden
from modugil.pagination import FeaturePagination


def leads(user: Any, team: Team) -> bool:
    if has_role(user, Role.ADMIN):
        return True
    return Membership.objects.filter(team=team, user=user, role=TeamRole.LEADER).exists()


class TeamViewSet(viewsets.ModelViewSet):
    queryset = Team.objects.order_by("name")
    serializer_class = TeamSerializer
    permission_classes = [TeamLeaderWrite]

    def perform_create(self, serializer: BaseSerializer) -> None:
        team = serializer.save()
        Membership.objects.create(team=team, user=self.request.user, role=TeamRole.LEADER)  # type: ignore[misc]

    def perform_update(self, serializer: BaseSerializer) -> None:
        if not leads(self.request.user, serializer.instance):  # type: ignore[arg-type]
            raise Forbidden("Only this team's leader can change it.")
        serializer.save()

    def perform_destroy(self, instance: Team) -> None:
        if not has_role(self.request.user, Role.ADMIN):
            raise Forbidden("Only an administrator can remove a team.")
        instance.delete()

    @action(detail=True, methods=["get"], serializer_class=MembershipSerializer)
    def members(self, request: Request, pk: str | None = None) -> Response:
        team = self.get_object()
        return Response(
            MembershipSerializer(team.memberships.select_related("user"), many=True).data
        )

    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        serializer_class=MembershipSerializer,
    )
    def join(self, request: Request, pk: str | None = None) -> Response:
        """Join as a volunteer; joining twice changes nothing."""
        team = self.get_object()
        membership, created = Membership.objects.get_or_create(team=team, user=request.user)  # type: ignore[misc]
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(MembershipSerializer(membership).data, status=code)


class CampaignViewSet(viewsets.ModelViewSet):
    serializer_class = CampaignSerializer
    permission_classes = [TeamLeaderWrite]
    pagination_class = FeaturePagination

    def get_queryset(self) -> QuerySet:
        return Campaign.objects.select_related("team").order_by("-starts_on", "id")

    def perform_create(self, serializer: BaseSerializer) -> None:
        team = serializer.validated_data["team"]
        if not leads(self.request.user, team):
            raise Forbidden(
                "Only this team's leader can start a campaign.", fields={"team": ["Not your team."]}
            )
        serializer.save(created_by=self.request.user)

    def perform_update(self, serializer: BaseSerializer) -> None:
        if not leads(self.request.user, serializer.instance.team):  # type: ignore[union-attr]
            raise Forbidden("Only this team's leader can change the campaign.")
        serializer.save()

    def perform_destroy(self, instance: Campaign) -> None:
        if not leads(self.request.user, instance.team):
            raise Forbidden("Only this team's leader can remove the campaign.")
        instance.delete()
