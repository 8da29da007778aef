"""Every change to shared data is kept: creates, edits, votes, deletes, imports."""

from __future__ import annotations

import pytest

from tests.conftest import geojson_point

pytestmark = pytest.mark.django_db


def test_history_lists_every_change_with_who_and_what(minji, junho, client_for, anon) -> None:
    r = client_for(minji).post(
        "/api/mapping/features/",
        {"feature_type": "steps", "geom": geojson_point(), "step_count": 10},
        format="json",
    )
    url = f"/api/mapping/features/{r.json()['id']}/"
    client_for(minji).patch(
        url, {"step_count": 12, "handrail": True}, format="json", HTTP_IF_MATCH='"v1"'
    )
    client_for(junho).post(url + "votes/", {"value": "agree"}, format="json")
    client_for(minji).delete(url, HTTP_IF_MATCH='"v2"')
    # the deleted feature's history stays readable through the database even if the API hides it
    import pghistory.models

    from mapping.models import AccessibilityFeature

    feature = AccessibilityFeature.all_objects.get()
    events = list(
        pghistory.models.Events.objects.tracks(feature).order_by("pgh_created_at", "pgh_id")
    )
    labels = [e.pgh_label for e in events]
    assert (
        labels[0] == "insert" and labels.count("update") == 3
    )  # edit, vote consensus, soft delete
    edit = events[1]
    assert edit.pgh_diff["step_count"] == [10, 12]
    assert edit.pgh_context["user"] == str(minji.pk) or int(edit.pgh_context["user"]) == minji.pk


def test_history_endpoint_shows_diffs_and_public_names(minji, client_for, anon) -> None:
    r = client_for(minji).post(
        "/api/mapping/features/",
        {"feature_type": "kerb", "geom": geojson_point(), "kerb": "raised"},
        format="json",
    )
    url = f"/api/mapping/features/{r.json()['id']}/"
    client_for(minji).patch(url, {"kerb": "lowered"}, format="json", HTTP_IF_MATCH='"v1"')
    history = anon.get(url + "history/").json()
    assert [h["label"] for h in history] == ["insert", "update"]
    assert history[1]["changes"]["kerb"] == ["raised", "lowered"]
    assert history[1]["user"] == "민지"
    assert history[1]["via"] == url
