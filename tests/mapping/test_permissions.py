"""Roles are enforced on every endpoint: anonymous reads, volunteers write, officials review."""

from __future__ import annotations

import pytest

from tests.conftest import geojson_point, make_feature

pytestmark = pytest.mark.django_db

FEATURES = "/api/mapping/features/"


def test_anonymous_users_read_but_never_write(anon) -> None:
    feature = make_feature()
    assert anon.get(FEATURES).status_code == 200
    assert anon.post(
        FEATURES, {"feature_type": "kerb", "geom": geojson_point()}, format="json"
    ).status_code in (401, 403)
    assert anon.patch(
        f"{FEATURES}{feature.pk}/", {"kerb": "flush"}, format="json", HTTP_IF_MATCH='"v1"'
    ).status_code in (401, 403)
    assert anon.delete(f"{FEATURES}{feature.pk}/", HTTP_IF_MATCH='"v1"').status_code in (401, 403)
    assert anon.post(
        f"{FEATURES}{feature.pk}/votes/", {"value": "agree"}, format="json"
    ).status_code in (401, 403)


def test_volunteers_delete_only_their_own_contributions(minji, junho, leader, client_for) -> None:
    mine = make_feature(observer=minji)
    theirs = make_feature(observer=junho)
    assert (
        client_for(minji).delete(f"{FEATURES}{theirs.pk}/", HTTP_IF_MATCH='"v1"').status_code == 403
    )
    assert (
        client_for(minji).delete(f"{FEATURES}{mine.pk}/", HTTP_IF_MATCH='"v1"').status_code == 204
    )
    assert (
        client_for(leader).delete(f"{FEATURES}{theirs.pk}/", HTTP_IF_MATCH='"v1"').status_code
        == 204
    )


def test_only_officials_review(minji, leader, official, client_for) -> None:
    feature = make_feature(observer=minji)
    url = f"{FEATURES}{feature.pk}/review/"
    for user in (minji, leader):
        assert (
            client_for(user).post(url, {"decision": "validated"}, format="json").status_code == 403
        )
    r = client_for(official).post(
        url, {"decision": "validated", "reason": "현장 확인"}, format="json"
    )
    assert r.status_code == 200, r.json()
    props = r.json()["properties"]
    assert (
        props["status"] == "validated" and props["confidence"] >= 0.9 and props["last_verified_at"]
    )
    feature.refresh_from_db()
    assert "현장 확인" in feature.note


def test_conflicts_are_private_to_their_author_and_officials(
    minji, junho, official, client_for
) -> None:
    feature = make_feature(observer=minji)
    client_for(minji).patch(
        f"{FEATURES}{feature.pk}/", {"kerb_height_cm": 1}, format="json", HTTP_IF_MATCH='"v1"'
    )
    stale = client_for(junho).patch(
        f"{FEATURES}{feature.pk}/", {"kerb_height_cm": 9}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert stale.status_code == 412
    assert client_for(junho).get("/api/mapping/conflicts/").json()["count"] == 1
    assert client_for(minji).get("/api/mapping/conflicts/").json()["count"] == 0
    assert client_for(official).get("/api/mapping/conflicts/").json()["count"] == 1


def test_team_leaders_create_campaigns_for_their_own_team_only(minji, leader, client_for) -> None:
    team = client_for(leader).post(
        "/api/community/teams/", {"name": "천안 스스로해결단"}, format="json"
    )
    assert team.status_code == 201, team.json()
    other = (
        client_for(leader).post("/api/community/teams/", {"name": "다른 팀"}, format="json").json()
    )
    campaign = {
        "team": team.json()["id"],
        "name": "횡단보도 턱 조사",
        "area": {
            "type": "Polygon",
            "coordinates": [[[127.1, 36.8], [127.12, 36.8], [127.12, 36.82], [127.1, 36.8]]],
        },
        "target_types": ["kerb", "crossing"],
        "target_count": 20,
        "starts_on": "2026-11-01",
        "ends_on": "2026-12-31",
    }
    assert (
        client_for(minji).post("/api/community/campaigns/", campaign, format="json").status_code
        == 403
    )
    assert (
        client_for(leader).post("/api/community/campaigns/", campaign, format="json").status_code
        == 201
    )
    # another leader's team: refused even for a team leader
    from accounts.models import Role, User

    rival = User.objects.create_user("rival", role=Role.TEAM_LEADER)
    campaign["team"] = other["id"]
    assert (
        client_for(rival).post("/api/community/campaigns/", campaign, format="json").status_code
        == 403
    )
