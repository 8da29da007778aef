"""Peer validation: agree / disagree / unsure, consensus status and confidence."""

from __future__ import annotations

import pytest

from accounts.models import Role, User
from mapping.services import consensus
from tests.conftest import make_feature

pytestmark = pytest.mark.django_db


def test_consensus_rules() -> None:
    assert consensus("survey", 0, 0) == ("unvalidated", 0.6)
    assert consensus("survey", 2, 0)[0] == "validated"
    assert consensus("survey", 0, 2)[0] == "rejected"
    assert consensus("survey", 1, 1)[0] == "disputed"
    assert consensus("survey", 2, 0)[1] > 0.6 > consensus("survey", 0, 1)[1]


def test_votes_update_status_confidence_and_last_verified(
    minji, junho, official, client_for
) -> None:
    feature = make_feature(observer=minji)
    url = f"/api/mapping/features/{feature.pk}/votes/"
    r = client_for(junho).post(url, {"value": "agree"}, format="json")
    assert r.status_code == 201, r.json()
    feature.refresh_from_db()
    assert (feature.status, feature.agree_count) == ("unvalidated", 1)
    assert feature.last_verified_at is not None
    assert feature.version == 1  # votes change trust, not content: editors get no conflict
    client_for(official).post(url, {"value": "agree"}, format="json")
    feature.refresh_from_db()
    assert feature.status == "validated" and feature.confidence > 0.8


def test_a_changed_vote_replaces_the_old_one(minji, junho, client_for) -> None:
    feature = make_feature(observer=minji)
    url = f"/api/mapping/features/{feature.pk}/votes/"
    client_for(junho).post(url, {"value": "agree"}, format="json")
    client_for(junho).post(
        url, {"value": "disagree", "corrected": {"kerb_height_cm": 7}}, format="json"
    )
    votes = client_for(junho).get(url).json()
    assert (
        len(votes) == 1
        and votes[0]["value"] == "disagree"
        and votes[0]["corrected"] == {"kerb_height_cm": 7}
    )
    feature.refresh_from_db()
    assert (feature.agree_count, feature.disagree_count) == (0, 1)


def test_no_one_validates_their_own_work(minji, client_for) -> None:
    feature = make_feature(observer=minji)
    r = client_for(minji).post(
        f"/api/mapping/features/{feature.pk}/votes/", {"value": "agree"}, format="json"
    )
    assert r.status_code == 403


def test_two_disagreeing_volunteers_reject(minji, junho, client_for) -> None:
    third = User.objects.create_user("third", role=Role.VOLUNTEER)
    feature = make_feature(observer=minji)
    for user in (junho, third):
        client_for(user).post(
            f"/api/mapping/features/{feature.pk}/votes/", {"value": "disagree"}, format="json"
        )
    feature.refresh_from_db()
    assert feature.status == "rejected" and feature.confidence < 0.5
