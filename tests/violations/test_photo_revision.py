"""Stale-edit protection for evidence photo redaction: every redaction and review carries the
photo revision the official checked; a colleague's change in between is refused, never merged."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pghistory.models
import pytest
from django.db import connection
from django.test import Client

from modugil.errors import ModugilError
from tests.violations.conftest import report_body
from violations import photo_review
from violations.models import RedactionStatus, ViolationPhoto, ViolationReport
from violations.photo_review import StalePhoto


def _url(photo: ViolationPhoto, kind: str) -> str:
    return f"/api/violations/photos/{photo.key}/{kind}/"


@pytest.fixture
def photo(minji: Any, client_for: Any, bay: Any) -> ViolationPhoto:
    created = client_for(minji).post("/api/violations/reports/", report_body(), format="multipart")
    report = ViolationReport.objects.get(pk=created.json()["id"])
    return report.photos.order_by("position").first()  # type: ignore[return-value]


def _disk(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _state(photo: ViolationPhoto) -> tuple[Any, ...]:
    photo.refresh_from_db()
    return (
        photo.revision,
        photo.manual_regions,
        photo.redaction_status,
        photo.redacted.name,
        photo.reviewed_at,
    )


def test_officials_see_the_revision_and_each_write_bumps_it(
    photo, official, client_for, private_root
) -> None:
    api = client_for(official)
    report = api.get(f"/api/violations/reports/{photo.report_id}/").json()
    assert report["properties"]["photos"][0]["revision"] == 1
    before = photo.redacted.read()

    saved = api.post(
        _url(photo, "redaction"), {"regions": [[100, 180, 100, 80]], "revision": 1}, format="json"
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["revision"] == 2 and saved["ETag"] == '"v2"'
    photo.refresh_from_db()
    assert photo.redacted.read() != before and photo.manual_regions == [[100, 180, 100, 80]]

    approved = api.post(_url(photo, "review"), {"decision": "approve"}, HTTP_IF_MATCH='"v2"')
    assert approved.status_code == 200, approved.json()
    assert approved.json()["revision"] == 3 and approved.json()["public_url"]
    photo.refresh_from_db()
    assert photo.revision == 3 and photo.is_published


def test_stale_regions_are_refused_and_nothing_changes_on_disk_or_in_the_db(
    photo, official, admin_user, client_for, private_root
) -> None:
    first = client_for(official).post(
        _url(photo, "redaction"), {"regions": [[100, 180, 100, 80]], "revision": 1}, format="json"
    )
    assert first.status_code == 200
    state, files = _state(photo), _disk(private_root)

    for kwargs in (
        {"data": {"regions": [[10, 10, 50, 50]], "revision": 1}},
        {"data": {"regions": [[10, 10, 50, 50]]}, "HTTP_IF_MATCH": '"v1"'},
    ):
        stale = client_for(admin_user).post(_url(photo, "redaction"), format="json", **kwargs)
        assert stale.status_code == 412
        body = stale.json()
        assert body["code"] == "stale_version" and body["current_revision"] == 2
        assert body["current_status"] == RedactionStatus.PENDING and "revision" in body["errors"]
    assert _state(photo) == state
    assert _disk(private_root) == files  # no file re-rendered, none added or removed


def test_approving_a_stale_revision_is_refused_and_the_photo_stays_unpublished(
    photo, official, admin_user, client_for
) -> None:
    photo_review.set_manual_regions(photo, [[100, 180, 100, 80]], official, expected_revision=1)
    state = _state(photo)
    refused = client_for(admin_user).post(
        _url(photo, "review"), {"decision": "approve", "revision": 1}
    )
    assert refused.status_code == 412 and refused.json()["current_revision"] == 2
    assert _state(photo) == state and not photo.is_published
    assert Client().get(f"/api/violations/photos/{photo.key}/public.jpg").status_code == 404
    with pytest.raises(StalePhoto):
        photo_review.review(photo, "reject", admin_user, expected_revision=1)
    assert _state(photo) == state


def test_review_and_redaction_without_a_revision_are_refused_with_428(
    photo, official, client_for, private_root
) -> None:
    api = client_for(official)
    state, files = _state(photo), _disk(private_root)
    approve = api.post(_url(photo, "review"), {"decision": "approve"})
    assert approve.status_code == 428 and approve.json()["code"] == "precondition_required"
    assert "revision" in approve.json()["errors"]
    regions = api.post(_url(photo, "redaction"), {"regions": [[100, 180, 100, 80]]}, format="json")
    assert regions.status_code == 428
    bad = api.post(_url(photo, "review"), {"decision": "approve"}, HTTP_IF_MATCH="latest")
    assert bad.status_code == 400
    assert _state(photo) == state and _disk(private_root) == files
    assert Client().get(f"/api/violations/photos/{photo.key}/public.jpg").status_code == 404


def test_history_records_each_change_with_its_revision(photo, official, admin_user) -> None:
    photo_review.set_manual_regions(photo, [[100, 180, 100, 80]], official, expected_revision=1)
    with pytest.raises(StalePhoto):
        photo_review.review(photo, "approve", admin_user, expected_revision=1)
    photo_review.review(photo, "approve", admin_user, expected_revision=2)
    events = list(
        pghistory.models.Events.objects.tracks(photo).order_by("pgh_created_at", "pgh_id")
    )
    assert [e.pgh_label for e in events] == ["insert", "update", "update"]
    redacted, approved = events[1], events[2]
    assert redacted.pgh_diff["revision"] == [1, 2]
    assert redacted.pgh_diff["manual_regions"] == [[], [[100, 180, 100, 80]]]
    assert redacted.pgh_context["action"] == "manual_redaction"
    assert approved.pgh_diff["revision"] == [2, 3]
    assert approved.pgh_diff["redaction_status"] == ["pending", "approved"]
    assert approved.pgh_context["action"] == "photo_approve"


def test_the_review_page_carries_each_photos_revision(photo, official) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(official)
    photo_review.review(photo, "reject", official, expected_revision=1)
    page = client.get(f"/violations/review/{photo.report_id}/").content.decode()
    assert f'data-key="{photo.key}"' in page and 'data-revision="2"' in page
    assert "다른 사람이 이 사진을" in page  # the translated stale message for review.js


@pytest.mark.django_db(transaction=True)
def test_two_officials_saving_the_same_revision_serialise(photo, official, admin_user) -> None:
    """Both start from revision 1: the row lock lets one write; the other sees revision 2."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user: Any, box: list[int]) -> None:
        try:
            barrier.wait()
            photo_review.set_manual_regions(
                ViolationPhoto.objects.get(pk=photo.pk), [box], user, expected_revision=1
            )
            outcomes.append("saved")
        except ModugilError as e:
            outcomes.append(e.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(official, [100, 180, 100, 80])),
        threading.Thread(target=save, args=(admin_user, [100, 100, 50, 50])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "stale_version"]
    photo.refresh_from_db()
    assert photo.revision == 2 and len(photo.manual_regions) == 1
    assert len(list(Path(photo.redacted.path).parent.glob(f"{photo.key}-redacted*"))) == 1


def test_the_openapi_schema_keeps_evidence_photos_apart_from_mapping_photos() -> None:
    components = Client().get("/api/schema/?format=json").json()["components"]["schemas"]
    evidence, mapping = components["ViolationPhoto"], components["Photo"]
    assert {"revision", "redacted_url", "public_url"} <= set(evidence["properties"])
    assert "redacted_url" not in mapping["properties"]
