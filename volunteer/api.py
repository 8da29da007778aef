"""The app's server-side API: quests, what to validate, officials' review queue, statistics.

Answers and edits do not come back here: they go through the versioned mapping API
(``/api/mapping/...``) so that every write obeys the same version, history and role rules.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import OfficialOnly
from modugil.errors import InvalidInput
from volunteer import stats
from volunteer.area import area_from_query
from volunteer.quests import QUEST_KINDS, find_quests
from volunteer.validation import review_queue, validation_queue

AREA_PARAMS = [
    OpenApiParameter("near", OpenApiTypes.STR, description="lon,lat: your position"),
    OpenApiParameter("radius_m", OpenApiTypes.NUMBER, description="metres around near"),
    OpenApiParameter("bbox", OpenApiTypes.STR, description="lon_min,lat_min,lon_max,lat_max"),
    OpenApiParameter("campaign", OpenApiTypes.INT, description="a campaign's area"),
]
LIMIT_PARAM = OpenApiParameter("limit", OpenApiTypes.INT, description="at most this many")
MAX_LIMIT = 200


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit") or settings.VOLUNTEER_QUEST_LIMIT
    try:
        limit = int(raw)
    except ValueError as e:
        raise InvalidInput("limit must be an integer.", fields={"limit": ["Integer."]}) from e
    if not 1 <= limit <= MAX_LIMIT:
        msg = f"Between 1 and {MAX_LIMIT}."
        raise InvalidInput(f"limit must be {msg.lower()}", fields={"limit": [msg]})
    return limit


class QuestListView(APIView):
    """Quests near you: small questions about gaps and due re-surveys, nearest first."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            *AREA_PARAMS,
            LIMIT_PARAM,
            OpenApiParameter(
                "kind", OpenApiTypes.STR, many=True, enum=list(QUEST_KINDS), description="filter"
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        area = area_from_query(request.query_params)
        kinds = request.query_params.getlist("kind")
        unknown = sorted(set(kinds) - set(QUEST_KINDS))
        if unknown:
            msg = f"Unknown quest kind(s): {', '.join(unknown)}."
            raise InvalidInput(msg, fields={"kind": [msg]})
        user = request.user if request.user.is_authenticated else None
        quests = find_quests(area, user, kinds=kinds or None, limit=_limit(request))  # type: ignore[arg-type]
        return Response({"count": len(quests), "results": quests})


class ValidationQueueView(APIView):
    """Others' contributions to validate near you or in a campaign (agree / disagree / unsure)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[*AREA_PARAMS, LIMIT_PARAM], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        area = area_from_query(request.query_params)
        items = validation_queue(area, request.user, limit=_limit(request))  # type: ignore[arg-type]
        return Response({"count": len(items), "results": items})


class ReviewQueueView(APIView):
    """Officials only: disputed and contested contributions first, with every vote."""

    permission_classes = [OfficialOnly]

    @extend_schema(parameters=[LIMIT_PARAM], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        items = review_queue(limit=_limit(request))
        return Response({"count": len(items), "results": items})


class MyStatsView(APIView):
    """Your own statistics: contributions, edits, votes, photos, teams."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(stats.personal_stats(request.user))  # type: ignore[arg-type]


class LeaderboardView(APIView):
    """Teams ranked by their members' contributions, edits and votes in a recent window."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("days", OpenApiTypes.INT, description="window, default 30")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("days") or settings.VOLUNTEER_LEADERBOARD_DAYS
        try:
            days = int(raw)
        except ValueError as e:
            raise InvalidInput("days must be an integer.", fields={"days": ["Integer."]}) from e
        if not 1 <= days <= 3660:
            raise InvalidInput("days out of range.", fields={"days": ["Between 1 and 3660."]})
        return Response({"days": days, "results": stats.team_leaderboard(days)})
