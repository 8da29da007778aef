"""Personal statistics and team leaderboards count what people really did."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Membership, Team
from mapping.models import AccessibilityFeature
from tests.conftest import geojson_point, make_feature

pytestmark = pytest.mark.django_db


def add_kerb(client) -> int:
    r = client.post(
        "/api/mapping/features/",
        {"feature_type": "kerb", "geom": geojson_point(), "kerb": "raised"},
        format="json",
    )
    assert r.status_code == 201
    return r.json()["id"]


def test_my_stats_count_additions_edits_votes_and_photos_but_not_votes_as_edits(
    minji, junho, client_for
) -> None:
    mine = client_for(minji)
    feature_id = add_kerb(mine)
    second_id = add_kerb(mine)
    url = f"/api/mapping/features/{feature_id}/"
    assert (
        mine.patch(url, {"kerb_height_cm": 5}, format="json", HTTP_IF_MATCH='"v1"').status_code
        == 200
    )
    others = make_feature(observer=junho)
    mine.post(f"/api/mapping/features/{others.pk}/votes/", {"value": "agree"}, format="json")
    client_for(junho).post(url + "votes/", {"value": "agree"}, format="json")
    client_for(junho).post(url + "votes/", {"value": "agree"}, format="json")
    stats = mine.get("/api/volunteer/me/stats/").json()
    assert stats["added"] == {"feature": 2, "place": 0, "parking": 0}
    assert stats["edits"] == 1  # the vote on junho's kerb saved it too, but that is not an edit
    assert stats["votes"] == 1
    assert stats["photos"] == 0
    assert [r["id"] for r in stats["recent"]] == [second_id, feature_id]  # newest first


def test_stats_need_a_login(anon) -> None:
    assert anon.get("/api/volunteer/me/stats/").status_code == 403


def test_team_leaderboard_ranks_by_members_recent_activity(
    minji, junho, leader, client_for
) -> None:
    busy, quiet = Team.objects.create(name="바쁜 팀"), Team.objects.create(name="조용한 팀")
    Membership.objects.create(team=busy, user=minji)
    Membership.objects.create(team=busy, user=junho)
    Membership.objects.create(team=quiet, user=leader)
    add_kerb(client_for(minji))
    add_kerb(client_for(junho))
    old = make_feature(observer=leader)
    AccessibilityFeature.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=90)
    )
    board = client_for(None).get("/api/volunteer/leaderboard/", {"days": 30}).json()["results"]
    assert [row["name"] for row in board] == ["바쁜 팀", "조용한 팀"]
    assert (board[0]["added"], board[0]["members"], board[0]["rank"]) == (2, 2, 1)
    assert board[1]["total"] == 0  # the old contribution is outside the window
    long_board = client_for(None).get("/api/volunteer/leaderboard/", {"days": 365}).json()
    assert long_board["results"][1]["added"] == 1


def test_leaderboard_rejects_a_bad_window(anon) -> None:
    assert anon.get("/api/volunteer/leaderboard/", {"days": "soon"}).status_code == 400
    assert anon.get("/api/volunteer/leaderboard/", {"days": 0}).status_code == 400
