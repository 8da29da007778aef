"""IoT sensor events: per-device keys; replays change nothing; out-of-order delivery converges on
the in-order result; one report per violating stay."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pghistory.models
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.violations.conftest import PLATE
from violations import crypto
from violations.models import (
    ReportSource,
    SensorDevice,
    SensorEvent,
    SensorSession,
    ViolationReport,
)

pytestmark = pytest.mark.django_db
URL = "/api/violations/sensor-events/"


def device_client(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Device {key}", HTTP_ACCEPT_LANGUAGE="en")


# One start for the whole module: a replay must be byte-identical even when a second ticks over.
T0 = timezone.now().replace(microsecond=0) - timedelta(hours=1)


def stay(session: str = "s1", plate: str = PLATE) -> list[dict]:
    """Entry, a warning at 1 minute, the violation at 5 minutes, exit at 12 minutes."""
    t0 = T0
    steps = [("entry", 0), ("warning", 60), ("violation", 300), ("exit", 720)]
    return [
        {
            "event_id": f"{session}-{kind}",
            "session_id": session,
            "kind": kind,
            "occurred_at": (t0 + timedelta(seconds=s)).isoformat(),
            "plate": plate,
            "permit_valid": False,
        }
        for kind, s in steps
    ]


def snapshot(device: SensorDevice) -> list[tuple]:
    sessions = SensorSession.objects.filter(device=device).order_by("session_key")
    return [
        (
            s.session_key,
            s.entered_at,
            s.exited_at,
            s.warning_count,
            s.violation_at,
            s.plate_hash,
            s.report.occurred_at if s.report else None,
            s.report.occurred_until if s.report else None,
        )
        for s in sessions
    ]


def test_devices_need_their_own_key(device) -> None:
    sensor, key = device
    assert APIClient().post(URL, stay()[0], format="json").status_code in (401, 403)
    wrong = f"{sensor.device_id}:not-the-key"
    assert device_client(wrong).post(URL, stay()[0], format="json").status_code == 401
    sensor.active = False
    sensor.save()
    assert device_client(key).post(URL, stay()[0], format="json").status_code == 401


def test_a_violating_stay_makes_one_sensor_report(device) -> None:
    sensor, key = device
    client = device_client(key)
    results = [client.post(URL, e, format="json").json() for e in stay()]
    assert [r["result"] for r in results] == ["applied"] * 4
    report = ViolationReport.objects.get()
    assert report.source == ReportSource.SENSOR and report.spot == sensor.spot
    assert crypto.decrypt(report.plate_encrypted) == PLATE
    assert results[-1]["session"]["outcome"] == "violation"
    assert (report.occurred_until - report.occurred_at).total_seconds() == 720


def test_replays_change_nothing(device) -> None:
    sensor, key = device
    client = device_client(key)
    for event in stay():
        client.post(URL, event, format="json")
    before = snapshot(sensor)
    history = pghistory.models.Events.objects.count()
    replies = client.post(URL, {"events": stay()}, format="json").json()["results"]
    assert [r["result"] for r in replies] == ["duplicate"] * 4
    assert snapshot(sensor) == before
    assert pghistory.models.Events.objects.count() == history
    assert SensorEvent.objects.count() == 4 and ViolationReport.objects.count() == 1


def test_every_delivery_order_gives_the_in_order_result(device) -> None:
    sensor, key = device
    client = device_client(key)
    events = stay("in-order")
    for event in events:
        client.post(URL, event, format="json")
    expected = snapshot(sensor)[0][1:]
    for n, order in enumerate(itertools.permutations(range(4))):
        session = f"perm-{n}"
        for i in order:
            event = {**events[i], "session_id": session, "event_id": f"{session}-{i}"}
            assert client.post(URL, event, format="json").status_code == 200
        got = next(s for s in snapshot(sensor) if s[0] == session)[1:]
        assert got[:6] == expected[:6], order
        assert got[6:] == expected[6:], order
    assert ViolationReport.objects.count() == 25  # one per stay, however delivered


def test_a_reused_event_id_with_other_content_is_a_conflict(device) -> None:
    _, key = device
    client = device_client(key)
    first = stay()[0]
    assert client.post(URL, first, format="json").status_code == 200
    r = client.post(URL, {**first, "kind": "exit"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "event_id_reused"


def test_bad_events_are_refused_per_event_in_a_batch(device) -> None:
    _, key = device
    client = device_client(key)
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    events = [stay()[0], {**stay()[1], "occurred_at": future}, {**stay()[2], "kind": "honk"}]
    results = client.post(URL, {"events": events}, format="json").json()["results"]
    assert [r["result"] for r in results] == ["applied", "rejected", "rejected"]
    assert "occurred_at" in results[1]["errors"] and "kind" in results[2]["errors"]
    assert results[1]["status"] == 400
    r = client.post(URL, {**stay()[0], "event_id": "x", "plate": "???"}, format="json")
    assert r.status_code == 400 and "plate" in r.json()["errors"]


def test_warned_drivers_who_leave_make_no_report(device) -> None:
    _, key = device
    client = device_client(key)
    for event in stay("left"):
        if event["kind"] != "violation":
            last = client.post(URL, event, format="json").json()
    assert last["session"]["outcome"] == "left_after_warning" and last["report_id"] is None
    assert ViolationReport.objects.count() == 0


def test_the_openapi_schema_says_how_sensors_authenticate() -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    assert schema["components"]["securitySchemes"]["deviceKey"]["name"] == "Authorization"
    assert schema["paths"][URL]["post"]["security"] == [{"deviceKey": []}]
