"""Two people edit the same kerb from the same version: one wins, the other gets a conflict."""

from __future__ import annotations

import threading

import pghistory.models
import pytest
from django.db import connection
from rest_framework.test import APIClient

from mapping.models import AccessibilityFeature, EditConflict
from tests.conftest import make_feature


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_on_one_version(minji, junho) -> None:
    feature = make_feature(observer=minji, kerb_height_cm=2)
    url = f"/api/mapping/features/{feature.pk}/"
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def edit(user, height: float) -> None:
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        response = client.patch(
            url, {"kerb_height_cm": height}, format="json", HTTP_IF_MATCH='"v1"'
        )
        results[user.username] = response.status_code
        connection.close()

    threads = [threading.Thread(target=edit, args=(u, h)) for u, h in ((minji, 4.0), (junho, 9.0))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(results.values()) == [200, 412]
    winner = "minji" if results["minji"] == 200 else "junho"
    loser_height = 9.0 if winner == "minji" else 4.0
    feature.refresh_from_db()
    assert feature.version == 2
    assert feature.kerb_height_cm == (4.0 if winner == "minji" else 9.0)
    # history holds both outcomes: the applied update, and the refused attempt verbatim
    updates = [
        e for e in pghistory.models.Events.objects.tracks(feature) if e.pgh_label == "update"
    ]
    assert len(updates) == 1 and updates[0].pgh_diff["kerb_height_cm"][1] == feature.kerb_height_cm
    conflict = EditConflict.objects.get()
    assert conflict.attempted == {"kerb_height_cm": loser_height}
    assert (conflict.base_version, conflict.current_version) == (1, 2)
    assert AccessibilityFeature.objects.count() == 1


@pytest.mark.django_db
def test_a_stale_body_version_gets_409_and_is_kept(minji, junho, client_for) -> None:
    feature = make_feature(observer=minji)
    url = f"/api/mapping/features/{feature.pk}/"
    assert (
        client_for(minji)
        .patch(url, {"kerb": "flush", "kerb_height_cm": 0, "version": 1}, format="json")
        .status_code
        == 200
    )
    r = client_for(junho).patch(url, {"kerb": "raised", "version": 1}, format="json")
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "stale_version" and body["current_version"] == 2 and body["conflict_id"]
    assert EditConflict.objects.get(pk=body["conflict_id"]).attempted["kerb"] == "raised"
