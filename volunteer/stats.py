"""Personal statistics and team leaderboards (team goals before a global ranking of people)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import User
from community.models import Membership, Team
from mapping.models import AccessibilityFeature, DisabledParkingSpot, Photo, Place, Vote
from mapping.models.vocab import ReviewStatus
from volunteer.targets import for_display, summary

CONTRIBUTION_MODELS = {
    "feature": AccessibilityFeature,
    "place": Place,
    "parking": DisabledParkingSpot,
}
EVENT_MODELS = ("AccessibilityFeatureEvent", "PlaceEvent", "DisabledParkingSpotEvent")
# Votes and official reviews also save the target (consensus fields); they are not edits.
NOT_AN_EDIT_URL = r"/(votes|review)/$"


@dataclass
class Activity:
    added: int = 0
    edits: int = 0
    votes: int = 0

    @property
    def total(self) -> int:
        return self.added + self.edits + self.votes


def edit_events(since: datetime | None = None) -> Iterable[QuerySet]:
    """History events of edits made by signed-in people through the app or API."""
    for name in EVENT_MODELS:
        model = apps.get_model("mapping", name)
        qs = model.objects.filter(
            pgh_label="update", pgh_context__metadata__user__isnull=False
        ).exclude(pgh_context__metadata__url__regex=NOT_AN_EDIT_URL)
        if since is not None:
            qs = qs.filter(pgh_created_at__gte=since)
        yield qs


def activity_by_user(
    since: datetime | None, user_ids: Iterable[int] | None = None
) -> dict[int, Activity]:
    """Contributions added, edits and votes per user id since ``since`` (all time when None)."""
    ids = list(user_ids) if user_ids is not None else None
    activity: dict[int, Activity] = defaultdict(Activity)
    for model in CONTRIBUTION_MODELS.values():
        qs = model.objects.filter(observer__isnull=False)  # type: ignore[attr-defined]
        if since is not None:
            qs = qs.filter(created_at__gte=since)
        if ids is not None:
            qs = qs.filter(observer__in=ids)
        for row in qs.values("observer").annotate(n=Count("id")):
            activity[row["observer"]].added += row["n"]
    votes = Vote.objects.all() if since is None else Vote.objects.filter(created_at__gte=since)
    if ids is not None:
        votes = votes.filter(user__in=ids)
    for vote_row in votes.values("user").annotate(n=Count("id")):
        activity[vote_row["user"]].votes += vote_row["n"]
    for events in edit_events(since):
        key = "pgh_context__metadata__user"
        if ids is not None:
            events = events.filter(**{f"{key}__in": ids})
        for row in events.values(key).annotate(n=Count("pgh_id")):
            activity[int(row[key])].edits += row["n"]
    return dict(activity)


def personal_stats(user: User) -> dict[str, Any]:
    """Everything the 'Me' screen shows; counts are all-time."""
    added = {
        kind: model.objects.filter(observer=user).count()  # type: ignore[attr-defined]
        for kind, model in CONTRIBUTION_MODELS.items()
    }
    validated = sum(
        model.objects.filter(observer=user, status=ReviewStatus.VALIDATED).count()  # type: ignore[attr-defined]
        for model in CONTRIBUTION_MODELS.values()
    )
    mine = activity_by_user(None, [user.pk]).get(user.pk, Activity())
    return {
        "added": added,
        "added_total": sum(added.values()),
        "validated_by_others": validated,
        "edits": mine.edits,
        "votes": Vote.objects.filter(user=user).count(),
        "photos": Photo.objects.filter(uploaded_by=user, deleted_at__isnull=True).count(),
        "teams": [
            {"id": m.team_id, "name": m.team.name, "role": m.get_role_display()}
            for m in Membership.objects.filter(user=user).select_related("team")
        ],
        "recent": _recent(user),
    }


def _recent(user: User, limit: int = 10) -> list[dict[str, Any]]:
    rows: list[Any] = []
    for model in CONTRIBUTION_MODELS.values():
        qs = for_display(model.objects.filter(observer=user))  # type: ignore[attr-defined]
        rows += list(qs.order_by("-created_at")[:limit])
    rows.sort(key=lambda obj: obj.created_at, reverse=True)
    return [summary(obj) for obj in rows[:limit]]


def team_leaderboard(days: int) -> list[dict[str, Any]]:
    """Teams ranked by what their members did in the last ``days`` days."""
    since = timezone.now() - timedelta(days=days)
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in Membership.objects.values_list("team_id", "user_id"):
        members[team_id].append(user_id)
    activity = activity_by_user(since)
    board = []
    for team in Team.objects.order_by("name"):
        total = Activity()
        for user_id in members[team.pk]:
            done = activity.get(user_id, Activity())
            total.added += done.added
            total.edits += done.edits
            total.votes += done.votes
        board.append(
            {
                "team_id": team.pk,
                "name": team.name,
                "region": team.region_name,
                "members": len(members[team.pk]),
                **asdict(total),
                "total": total.total,
            }
        )
    board.sort(key=lambda row: (-row["total"], row["name"]))
    for rank, row in enumerate(board, start=1):
        row["rank"] = rank
    return board


def member_board(team: Team, days: int) -> list[dict[str, Any]]:
    """A team's own members, most active first: for the team page, not a global ranking."""
    since = timezone.now() - timedelta(days=days)
    memberships = list(team.memberships.select_related("user"))
    activity = activity_by_user(since, [m.user_id for m in memberships])
    rows = [
        {
            "name": m.user.public_name,
            "role": m.get_role_display(),
            "role_key": m.role,
            **asdict(activity.get(m.user_id, Activity())),
            "total": activity.get(m.user_id, Activity()).total,
        }
        for m in memberships
    ]
    rows.sort(key=lambda row: (-row["total"], row["name"]))
    return rows
