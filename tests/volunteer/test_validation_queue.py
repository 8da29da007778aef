"""What to validate next, and the officials' review queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.gis.geos import Point

from tests.conftest import YEOUIDO, make_feature, make_parking, make_place

pytestmark = pytest.mark.django_db

QUEUE = "/api/volunteer/validation/"
REVIEW = "/api/volunteer/review-queue/"
NEAR = {"near": f"{YEOUIDO[0]},{YEOUIDO[1]}"}


def ids(response: Any) -> list[tuple[str, int]]:
    assert response.status_code == 200, response.json()
    return [(i["model"], i["id"]) for i in response.json()["results"]]


def test_queue_has_others_work_not_mine_and_not_what_i_voted_on(minji, junho, client_for) -> None:
    hers = make_feature(observer=minji)
    mine = make_feature(observer=junho)
    voted = make_feature(observer=minji)
    client_for(junho).post(
        f"/api/mapping/features/{voted.pk}/votes/", {"value": "unsure"}, format="json"
    )
    queue = ids(client_for(junho).get(QUEUE, NEAR))
    assert ("feature", hers.pk) in queue
    assert ("feature", mine.pk) not in queue and ("feature", voted.pk) not in queue


def test_disputed_first_then_peoples_work_before_imports(minji, junho, client_for) -> None:
    imported = make_feature(observer=None, source="osm")
    plain = make_feature(observer=minji)
    disputed = make_feature(observer=minji, status="disputed")
    place = make_place(observer=minji)
    queue = ids(client_for(junho).get(QUEUE, NEAR))
    assert queue[0] == ("feature", disputed.pk)
    assert queue.index(("feature", plain.pk)) < queue.index(("feature", imported.pk))
    assert ("place", place.pk) in queue


def test_items_carry_values_units_photos_and_correctable_fields(minji, junho, client_for) -> None:
    feature = make_feature(observer=minji, kerb="raised", kerb_height_cm=7)
    [item] = client_for(junho).get(QUEUE, NEAR).json()["results"]
    assert item["id"] == feature.pk and item["observer_name"] == "민지"
    assert {
        "field": "kerb_height_cm",
        "label": "kerb height (cm)",
        "value": 7.0,
        "display": "7 cm",
    } in item["values"]
    [correctable] = item["correctable"]
    assert correctable["name"] == "kerb_height_cm" and correctable["current"] == 7
    assert correctable["max"] == 50 and correctable["unit"] == "cm"
    assert item["photos"] == [] and item["url"] == f"/api/mapping/features/{feature.pk}/"


def test_validated_and_rejected_work_is_not_asked_again(minji, junho, client_for) -> None:
    done = make_feature(observer=minji, status="validated")
    gone = make_feature(observer=minji, status="rejected")
    queue = ids(client_for(junho).get(QUEUE, NEAR))
    assert ("feature", done.pk) not in queue and ("feature", gone.pk) not in queue


def test_a_correction_vote_updates_consensus(minji, junho, official, client_for) -> None:
    feature = make_feature(observer=minji, kerb_height_cm=2)
    url = f"/api/mapping/features/{feature.pk}/votes/"
    body = {"value": "disagree", "corrected": {"kerb_height_cm": 9}}
    assert client_for(junho).post(url, body, format="json").status_code == 201
    client_for(official).post(url, {"value": "disagree"}, format="json")
    feature.refresh_from_db()
    assert feature.status == "rejected" and feature.confidence < 0.6


def test_queue_needs_a_login_and_an_area(junho, anon, client_for) -> None:
    assert anon.get(QUEUE, NEAR).status_code == 403
    assert client_for(junho).get(QUEUE).status_code == 400


def test_review_queue_is_for_officials_and_puts_contested_work_first(
    minji, junho, official, client_for
) -> None:
    quiet = make_feature(observer=minji)
    contested = make_feature(observer=minji, geom=Point(YEOUIDO[0] + 0.001, YEOUIDO[1], srid=4326))
    untouched_import = make_parking(observer=None)
    client_for(junho).post(
        f"/api/mapping/features/{contested.pk}/votes/",
        {"value": "disagree", "comment": "턱이 더 높아요", "corrected": {"kerb_height_cm": 9}},
        format="json",
    )
    assert client_for(junho).get(REVIEW).status_code == 403
    r = client_for(official).get(REVIEW)
    queue = ids(r)
    assert queue[0] == ("feature", contested.pk)
    assert ("feature", quiet.pk) in queue and ("parking", untouched_import.pk) not in queue
    details = r.json()["results"][0]["vote_details"]
    assert details == [
        {
            "user": "준호",
            "value": "disagree",
            "value_label": "Disagree",
            "corrected": {"kerb_height_cm": 9},
            "comment": "턱이 더 높아요",
            "official": False,
        }
    ]
