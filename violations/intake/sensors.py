"""IoT sensor events: idempotent by event id; session state recomputed from the set of events.

Because a session's state is a function of *which* events arrived, not of their order, a replay
changes nothing and late or out-of-order events converge on the in-order result. A session with
a violation yields exactly one report (one-to-one), created by whichever event arrives first.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.utils import timezone

from modugil.errors import Conflict, InvalidInput
from violations import crypto
from violations.intake.citizen import mark_if_duplicate
from violations.models import (
    Channel,
    ReportSource,
    SensorDevice,
    SensorEvent,
    SensorEventKind,
    SensorSession,
    TimePrecision,
    ViolationReport,
    ViolationType,
)

APPLIED, DUPLICATE = "applied", "duplicate"
MAX_EVENT_AGE = timedelta(days=30)  # store-and-forward devices may deliver late, not forever


class EventIdReused(Conflict):
    code = "event_id_reused"


@dataclass
class SensorEventIn:
    event_id: str
    session_id: str
    kind: str
    occurred_at: datetime
    plate: str = ""
    permit_valid: bool | None = None


@dataclass
class EventResult:
    event_id: str
    result: str
    session: SensorSession
    report: ViolationReport | None


def record_event(device: SensorDevice, event: SensorEventIn) -> EventResult:
    """Apply one event (or recognise its replay); raise ``InvalidInput``/``Conflict`` if bad."""
    _check(event)
    plate_hash, plate_encrypted = crypto.protect_plate(event.plate)
    fingerprint = _fingerprint(event, plate_hash)
    for attempt in range(2):
        try:
            with transaction.atomic(), pghistory.context(device=device.device_id):
                return _apply(device, event, plate_hash, plate_encrypted, fingerprint)
        except IntegrityError:
            if attempt:  # a concurrent delivery of the same session or event won twice
                raise
    raise AssertionError("unreachable")


def _check(event: SensorEventIn) -> None:
    if event.kind not in SensorEventKind.values:
        msg = f"kind must be one of {', '.join(SensorEventKind.values)}."
        raise InvalidInput(msg, fields={"kind": [msg]})
    now = timezone.now()
    if event.occurred_at > now + timedelta(seconds=settings.VIOLATIONS_SENSOR_MAX_CLOCK_SKEW_S):
        msg = "occurred_at is in the future: check the device clock."
        raise InvalidInput(msg, fields={"occurred_at": [msg]})
    if event.occurred_at < now - MAX_EVENT_AGE:
        msg = "occurred_at is more than 30 days old."
        raise InvalidInput(msg, fields={"occurred_at": [msg]})


def _fingerprint(event: SensorEventIn, plate_hash: str) -> str:
    body = {
        "session_id": event.session_id,
        "kind": event.kind,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "plate_hash": plate_hash,
        "permit_valid": event.permit_valid,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _apply(
    device: SensorDevice,
    event: SensorEventIn,
    plate_hash: str,
    plate_encrypted: str,
    fingerprint: str,
) -> EventResult:
    session, _ = SensorSession.objects.select_for_update().get_or_create(
        device=device, session_key=event.session_id, defaults={"first_seen_at": event.occurred_at}
    )
    previous = SensorEvent.objects.filter(device=device, event_id=event.event_id).first()
    if previous is not None:
        if previous.fingerprint != fingerprint:
            raise EventIdReused(
                f"Event {event.event_id} was already received with different content.",
                fields={"event_id": ["Already used for a different event."]},
            )
        return EventResult(event.event_id, DUPLICATE, session, session.report)
    SensorEvent.objects.create(
        device=device,
        event_id=event.event_id,
        session=session,
        kind=event.kind,
        occurred_at=event.occurred_at,
        permit_valid=event.permit_valid,
        plate_hash=plate_hash,
        plate_encrypted=plate_encrypted,
        fingerprint=fingerprint,
    )
    _recompute(session)
    report = _sync_report(device, session)
    SensorDevice.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return EventResult(event.event_id, APPLIED, session, report)


def _recompute(session: SensorSession) -> None:
    """Derive the session from all its events, in time order whatever the arrival order."""
    events = list(session.events.order_by("occurred_at", "event_id"))
    times = {kind: [e.occurred_at for e in events if e.kind == kind] for kind in SensorEventKind}
    with_plate = [e for e in events if e.plate_hash]
    with_permit = [e for e in events if e.permit_valid is not None]
    state: dict[str, Any] = {
        "first_seen_at": events[0].occurred_at,
        "entered_at": min(times[SensorEventKind.ENTRY], default=None),
        "exited_at": max(times[SensorEventKind.EXIT], default=None),
        "violation_at": min(times[SensorEventKind.VIOLATION], default=None),
        "warning_count": len(times[SensorEventKind.WARNING]),
        "permit_valid": with_permit[-1].permit_valid if with_permit else None,
        "plate_hash": with_plate[0].plate_hash if with_plate else "",
    }
    if state["plate_hash"] != session.plate_hash:
        state["plate_encrypted"] = with_plate[0].plate_encrypted if with_plate else ""
    changed = [name for name, value in state.items() if getattr(session, name) != value]
    for name in changed:
        setattr(session, name, state[name])
    if changed:
        session.save(update_fields=[*changed, "updated_at"])


def _location(device: SensorDevice) -> Point:
    if device.geom is not None:
        return device.geom
    if device.spot is not None:
        return device.spot.geom.point_on_surface  # type: ignore[no-any-return]
    msg = f"Device {device.device_id} has neither a location nor a bay."
    raise InvalidInput(msg, fields={"device": [msg]})


def _sync_report(device: SensorDevice, session: SensorSession) -> ViolationReport | None:
    if session.violation_at is None:
        return session.report
    occurred_at = session.first_seen_at
    until = session.exited_at if session.exited_at and session.exited_at >= occurred_at else None
    report = session.report
    if report is None:
        report = ViolationReport.objects.create(
            geom=_location(device),
            occurred_at=occurred_at,
            occurred_until=until,
            time_precision=TimePrecision.EXACT,
            violation_type=ViolationType.ILLEGAL_PARKING,
            source=ReportSource.SENSOR,
            channel=Channel.SENSOR_API,
            spot=device.spot,
            spot_distance_m=0 if device.spot else None,
            place_text=str(device)[:200],
            plate_hash=session.plate_hash,
            plate_encrypted=session.plate_encrypted,
        )
        session.report = report
        session.save(update_fields=["report", "updated_at"])
        mark_if_duplicate(report)
        return report
    wanted = {
        "occurred_at": occurred_at,
        "occurred_until": until,
        "plate_hash": session.plate_hash,
        "plate_encrypted": session.plate_encrypted,
    }
    changed = [name for name, value in wanted.items() if getattr(report, name) != value]
    if changed:
        for name in changed:
            setattr(report, name, wanted[name])
        report.version += 1
        report.save(update_fields=[*changed, "version", "updated_at", "h3_r15"])
    return report
