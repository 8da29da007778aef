"""Quests come from gaps and due re-surveys; answers go through the versioned mapping API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.test import Client
from django.utils import timezone

from community.models import Campaign, Team
from mapping.models import AccessibilityFeature, Place
from tests.conftest import YEOUIDO, make_feature, make_parking, make_place

pytestmark = pytest.mark.django_db

QUESTS = "/api/volunteer/quests/"
NEAR = f"{YEOUIDO[0]},{YEOUIDO[1]}"


def quests(client: Any, **params: Any) -> list[dict[str, Any]]:
    r = client.get(QUESTS, {"near": NEAR, **params})
    assert r.status_code == 200, r.json()
    return r.json()["results"]


def kinds_for(results: list[dict[str, Any]], model: str, pk: int) -> set[str]:
    return {q["kind"] for q in results if q["target"]["model"] == model and q["target"]["id"] == pk}


def test_each_gap_makes_its_quest_and_filled_data_makes_none(anon) -> None:
    crossing = make_feature(feature_type="crossing", kerb="", kerb_height_cm=None)
    steps = make_feature(feature_type="steps", kerb="", kerb_height_cm=None)
    place = make_place()  # no entrance recorded
    lot = make_parking(disabled_spaces=None)
    done_steps = make_feature(
        feature_type="steps", kerb="", kerb_height_cm=None, step_count=4, ramp_wheelchair="no"
    )
    done_place = make_place(entrances=[{"is_main": True, "has_steps": False}])
    results = quests(anon)
    assert kinds_for(results, "feature", crossing.pk) == {"crossing_kerb"}
    assert kinds_for(results, "feature", steps.pk) == {"steps_count", "steps_ramp"}
    assert kinds_for(results, "place", place.pk) == {"entrance_steps"}
    assert kinds_for(results, "parking", lot.pk) == {"parking_count"}
    assert kinds_for(results, "feature", done_steps.pk) == set()
    assert kinds_for(results, "place", done_place.pk) == set()


def test_quests_show_units_limits_and_one_tap_answers(anon) -> None:
    steps = make_feature(feature_type="steps", kerb="", kerb_height_cm=None)
    results = quests(anon, kind="steps_count")
    [quest] = [q for q in results if q["target"]["id"] == steps.pk]
    assert [a["patch"] for a in quest["answers"]][:2] == [{"step_count": 1}, {"step_count": 2}]
    number = quest["number"]
    assert number["unit"] == "steps" and number["min"] == 1 and number["max"] == 500
    assert number["patch"] == {"step_count": "$value"}
    assert quest["target"]["version"] == 1
    assert quest["target"]["url"] == f"/api/mapping/features/{steps.pk}/"
    kerb = make_feature(feature_type="crossing", kerb="", kerb_height_cm=None)
    [kerb_quest] = [q for q in quests(anon, kind="crossing_kerb") if q["target"]["id"] == kerb.pk]
    assert kerb_quest["number"]["unit"] == "cm"
    assert {a["patch"]["kerb"] for a in kerb_quest["answers"]} == {
        "raised",
        "lowered",
        "flush",
        "no",
    }


def test_resurvey_quest_for_an_old_observation_but_not_for_my_own(minji, junho, client_for) -> None:
    years_ago = timezone.now() - timedelta(days=9 * 365)
    old = make_feature(observed_at=years_ago, observer=minji)
    fresh = make_feature()
    assert old.resurvey_due_at < timezone.now()
    theirs = quests(client_for(junho), kind="resurvey")
    assert kinds_for(theirs, "feature", old.pk) == {"resurvey"}
    assert kinds_for(theirs, "feature", fresh.pk) == set()
    [quest] = [q for q in theirs if q["target"]["id"] == old.pk]
    assert [a.get("vote") for a in quest["answers"]] == ["agree", None, "disagree"]
    assert "9.0" in quest["context"]  # "last checked ... (9.0 years ago)"
    assert kinds_for(quests(client_for(minji), kind="resurvey"), "feature", old.pk) == set()


def test_confirming_a_resurvey_with_an_agree_vote_clears_it(minji, junho, client_for) -> None:
    old = make_feature(observed_at=timezone.now() - timedelta(days=9 * 365), observer=minji)
    client = client_for(junho)
    r = client.post(f"/api/mapping/features/{old.pk}/votes/", {"value": "agree"}, format="json")
    assert r.status_code == 201
    old.refresh_from_db()
    assert old.resurvey_due_at > timezone.now()
    assert kinds_for(quests(client, kind="resurvey"), "feature", old.pk) == set()


def test_a_disagree_answer_is_not_asked_again(minji, junho, client_for) -> None:
    old = make_feature(observed_at=timezone.now() - timedelta(days=9 * 365), observer=minji)
    client = client_for(junho)
    client.post(f"/api/mapping/features/{old.pk}/votes/", {"value": "disagree"}, format="json")
    assert kinds_for(quests(client, kind="resurvey"), "feature", old.pk) == set()


def test_answering_applies_the_patch_with_the_version_and_the_quest_goes_away(
    minji, client_for
) -> None:
    steps = make_feature(feature_type="steps", kerb="", kerb_height_cm=None)
    client = client_for(minji)
    [quest] = [q for q in quests(client, kind="steps_count") if q["target"]["id"] == steps.pk]
    answer = quest["answers"][2]
    r = client.patch(
        quest["target"]["url"],
        answer["patch"],
        format="json",
        HTTP_IF_MATCH=f'"v{quest["target"]["version"]}"',
    )
    assert r.status_code == 200, r.json()
    steps.refresh_from_db()
    assert steps.step_count == 3 and steps.version == 2
    assert kinds_for(quests(client), "feature", steps.pk) == {"steps_ramp"}


def test_a_stale_answer_is_refused_and_kept_as_a_conflict(minji, junho, client_for) -> None:
    steps = make_feature(feature_type="steps", kerb="", kerb_height_cm=None)
    [quest] = quests(client_for(minji), kind="steps_count")
    url, etag = quest["target"]["url"], f'"v{quest["target"]["version"]}"'
    assert (
        client_for(junho)
        .patch(url, {"step_count": 7}, format="json", HTTP_IF_MATCH=etag)
        .status_code
        == 200
    )
    r = client_for(minji).patch(url, {"step_count": 3}, format="json", HTTP_IF_MATCH=etag)
    assert r.status_code == 412
    steps.refresh_from_db()
    assert steps.step_count == 7  # never overwritten silently
    conflicts = client_for(minji).get("/api/mapping/conflicts/").json()["results"]
    assert conflicts[0]["attempted"] == {"step_count": 3}


def test_entrance_answer_keeps_other_entrances(minji, client_for) -> None:
    place = make_place(
        entrances=[
            {"is_main": True, "name": "정문"},
            {"is_main": False, "name": "후문", "has_steps": True, "step_count": 2},
        ]
    )
    client = client_for(minji)
    [quest] = [q for q in quests(client, kind="entrance_steps") if q["target"]["id"] == place.pk]
    step_free = quest["answers"][0]
    r = client.patch(
        quest["target"]["url"], step_free["patch"], format="json", HTTP_IF_MATCH='"v1"'
    )
    assert r.status_code == 200, r.json()
    rows = {e.name: e for e in Place.objects.get(pk=place.pk).entrances.all()}
    assert rows["정문"].has_steps is False
    assert (rows["후문"].has_steps, rows["후문"].step_count) == (True, 2)


def test_parking_count_answer_respects_the_total(minji, client_for) -> None:
    lot = make_parking(disabled_spaces=None, total_spaces=3)
    client = client_for(minji)
    [quest] = [q for q in quests(client, kind="parking_count") if q["target"]["id"] == lot.pk]
    assert quest["number"]["unit"] == "spaces"
    r = client.patch(
        quest["target"]["url"], {"disabled_spaces": 4}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert r.status_code == 400 and "disabled_spaces" in r.json()["errors"]


def test_quests_are_nearest_first_and_limited_to_the_radius(anon) -> None:
    near = make_feature(feature_type="crossing", kerb="", kerb_height_cm=None)
    farther = make_feature(
        feature_type="crossing",
        kerb="",
        kerb_height_cm=None,
        geom=Point(YEOUIDO[0] + 0.002, YEOUIDO[1], srid=4326),  # about 177 m east
    )
    far = make_feature(
        feature_type="crossing",
        kerb="",
        kerb_height_cm=None,
        geom=Point(YEOUIDO[0] + 0.02, YEOUIDO[1], srid=4326),  # about 1.8 km
    )
    results = quests(anon, kind="crossing_kerb", radius_m=500)
    assert [q["target"]["id"] for q in results] == [near.pk, farther.pk]
    assert results[0]["distance_m"] == 0 and 150 < results[1]["distance_m"] < 200
    assert far.pk in [q["target"]["id"] for q in quests(anon, kind="crossing_kerb", radius_m=3000)]


def test_campaign_quests_stay_inside_its_area(leader) -> None:
    team = Team.objects.create(name="팀")
    area = Polygon.from_bbox(
        (YEOUIDO[0] - 0.001, YEOUIDO[1] - 0.001, YEOUIDO[0] + 0.001, YEOUIDO[1] + 0.001)
    )
    area.srid = 4326
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        team=team, name="c", area=area, target_types=["crossing"], starts_on=today, ends_on=today
    )
    inside = make_feature(feature_type="crossing", kerb="", kerb_height_cm=None)
    outside = make_feature(
        feature_type="crossing",
        kerb="",
        kerb_height_cm=None,
        geom=Point(YEOUIDO[0] + 0.01, YEOUIDO[1], srid=4326),
    )
    r = Client().get(QUESTS, {"campaign": campaign.pk})
    ids = [q["target"]["id"] for q in r.json()["results"]]
    assert inside.pk in ids and outside.pk not in ids


def test_deleted_and_rejected_observations_make_no_quests(anon) -> None:
    gone = make_feature(feature_type="crossing", kerb="", kerb_height_cm=None)
    AccessibilityFeature.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    rejected = make_feature(
        feature_type="crossing", kerb="", kerb_height_cm=None, status="rejected"
    )
    ids = [q["target"]["id"] for q in quests(anon)]
    assert gone.pk not in ids and rejected.pk not in ids


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "near"),
        ({"near": "abc"}, "near"),
        ({"near": NEAR, "radius_m": "far"}, "radius_m"),
        ({"near": NEAR, "radius_m": "999999"}, "radius_m"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"near": NEAR, "kind": "dragons"}, "kind"),
        ({"near": NEAR, "limit": "0"}, "limit"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(anon, params, field) -> None:
    r = anon.get(QUESTS, params)
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"]


def test_unknown_campaign_is_a_404(anon) -> None:
    assert anon.get(QUESTS, {"campaign": 999999}).status_code == 404
