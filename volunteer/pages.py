"""The app's screens. Server-rendered HTML that works as a list without JavaScript; the small JS
layer adds the map, quests, the offline queue and live progress."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role
from community.models import CAMPAIGN_TARGETS, Campaign, Membership, Team, TeamRole
from community.views import leads
from mapping.models import FeatureType, Place
from volunteer import stats
from volunteer.capture import capture_forms, form_key_for
from volunteer.strings import js_strings
from volunteer.targets import (
    MODEL_BY_KIND,
    api_url,
    for_display,
    photos_by_target,
    photos_for,
    summary,
)


def _render(request: HttpRequest, template: str, tab: str, **context: Any) -> HttpResponse:
    base = {
        "tab": tab,
        "strings": js_strings(),
        "map_center": list(settings.VOLUNTEER_MAP_CENTER),
        "photo_max_side_px": settings.VOLUNTEER_PHOTO_MAX_SIDE_PX,
    }
    return render(request, f"volunteer/{template}", {**base, **context})


def home(request: HttpRequest) -> HttpResponse:
    """Quests near me, on a map and as a list."""
    campaign = None
    if request.GET.get("campaign", "").isdigit():
        campaign = Campaign.objects.filter(pk=int(request.GET["campaign"])).first()
    return _render(request, "home.html", "quests", campaign=campaign)


@login_required
def add(request: HttpRequest) -> HttpResponse:
    forms = capture_forms()
    chosen = request.GET.get("type") or FeatureType.KERB
    if chosen not in {f.key for f in forms}:
        chosen = FeatureType.KERB
    return _render(request, "capture.html", "add", forms=forms, chosen=chosen, target=None)


@login_required
def edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One contribution: what we know, when it was checked, photos, and the form to change it."""
    model = MODEL_BY_KIND.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(for_display(model.objects.all()), pk=pk)  # type: ignore[attr-defined]
    target = summary(obj)
    target["photos"] = photos_for(obj, photos_by_target([obj]))
    return _render(
        request,
        "capture.html",
        "add",
        forms=capture_forms(),
        chosen=form_key_for(kind, obj),
        target=target,
        target_json=json.dumps({"url": api_url(obj), "model": kind}),
    )


@login_required
def validate(request: HttpRequest) -> HttpResponse:
    campaign = Campaign.objects.filter(pk=request.GET.get("campaign") or 0).first()
    return _render(request, "validate.html", "validate", campaign=campaign)


def teams(request: HttpRequest) -> HttpResponse:
    """Teams to join and the team leaderboard."""
    mine = (
        set(Membership.objects.filter(user=request.user).values_list("team_id", flat=True))
        if request.user.is_authenticated
        else set()
    )
    days = settings.VOLUNTEER_LEADERBOARD_DAYS
    return _render(
        request,
        "teams.html",
        "teams",
        board=stats.team_leaderboard(days),
        mine=mine,
        days=days,
    )


def team(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    user = request.user
    is_member = user.is_authenticated and team.memberships.filter(user=user).exists()
    days = settings.VOLUNTEER_LEADERBOARD_DAYS
    return _render(
        request,
        "team.html",
        "teams",
        team=team,
        members=stats.member_board(team, days),
        campaigns=[_campaign_row(c) for c in team.campaigns.order_by("-starts_on")],
        is_member=is_member,
        is_leader=user.is_authenticated and leads(user, team),
        days=days,
    )


def _campaign_row(campaign: Campaign) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "campaign": campaign,
        "progress": campaign.progress(),
        "running": campaign.starts_on <= today <= campaign.ends_on,
    }


def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's area, targets and live progress."""
    obj = get_object_or_404(Campaign.objects.select_related("team"), pk=pk)
    target_labels = dict(_target_choices())
    row = _campaign_row(obj)
    by_type = row["progress"]["by_type"]
    return _render(
        request,
        "campaign.html",
        "teams",
        row=row,
        campaign=obj,
        targets=[(t, target_labels.get(t, t), by_type.get(t, 0)) for t in obj.target_types],
        area_json=obj.area.geojson,
        poll_s=settings.VOLUNTEER_PROGRESS_POLL_S,
    )


def _target_choices() -> list[tuple[str, str]]:
    labels = {value: str(label) for value, label in FeatureType.choices}
    labels["place"] = str(Place._meta.verbose_name_plural)
    labels["parking"] = gettext("Disabled parking")
    return [(t, labels[t]) for t in CAMPAIGN_TARGETS]


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Team leaders start a campaign for a team they lead (the API checks it again)."""
    if not request.user.has_role(Role.TEAM_LEADER):  # type: ignore[union-attr]
        raise PermissionDenied
    led = Team.objects.filter(
        memberships__user=request.user.pk, memberships__role=TeamRole.LEADER
    ).order_by("name")
    if request.user.has_role(Role.ADMIN):  # type: ignore[union-attr]
        led = Team.objects.order_by("name")
    today = timezone.localdate()
    return _render(
        request,
        "campaign_new.html",
        "teams",
        teams=led,
        chosen_team=request.GET.get("team", ""),
        targets=_target_choices(),
        today=today.isoformat(),
        in_a_month=(today + timedelta(days=30)).isoformat(),
    )


@login_required
def me(request: HttpRequest) -> HttpResponse:
    return _render(request, "me.html", "me", stats=stats.personal_stats(request.user))  # type: ignore[arg-type]


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.OFFICIAL):  # type: ignore[union-attr]
        raise PermissionDenied
    return _render(request, "review.html", "me")


def outbox(request: HttpRequest) -> HttpResponse:
    """Edits waiting on this phone, and edits the server refused as stale."""
    return _render(request, "outbox.html", "me")


def offline(request: HttpRequest) -> HttpResponse:
    return _render(request, "offline.html", "")
