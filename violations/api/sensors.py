"""IoT sensor events: one event or a batch (``{"events": [...]}``), each idempotent by event id."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
)
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from modugil.errors import InvalidInput, ModugilError, error_body, status_for
from violations.api.auth import DeviceKeyAuthentication, IsSensorDevice
from violations.api.serializers import SensorEventInput
from violations.intake.sensors import EventResult, SensorEventIn, record_event
from violations.models import SensorDevice

MAX_BATCH = 500


def _result(result: EventResult) -> dict[str, Any]:
    session = result.session
    return {
        "event_id": result.event_id,
        "result": result.result,
        "session": {
            "session_id": session.session_key,
            "outcome": session.outcome,
            "entered_at": session.entered_at,
            "exited_at": session.exited_at,
            "warning_count": session.warning_count,
            "violation_at": session.violation_at,
        },
        "report_id": result.report.pk if result.report else None,
    }


def _one(device: SensorDevice, raw: Any) -> dict[str, Any]:
    data = SensorEventInput(data=raw)
    if not data.is_valid():
        fields = {k: [str(m) for m in v] for k, v in data.errors.items()}
        raise InvalidInput("Invalid event.", fields=fields)
    return _result(record_event(device, SensorEventIn(**data.validated_data)))


@extend_schema(request=SensorEventInput, responses=None)
@api_view(["POST"])
@authentication_classes([DeviceKeyAuthentication])
@permission_classes([IsSensorDevice])
@parser_classes([JSONParser])
def sensor_events(request: Request) -> Response:
    """Record events (entry, warning, violation, exit). Replays answer ``duplicate`` and change
    nothing; out-of-order events converge on the in-order state.

    A single event answers 200 or a 4xx naming the field; a batch answers 200 with one result
    per event (``rejected`` with ``status`` and ``errors`` for the bad ones)."""
    device: SensorDevice = request.auth  # type: ignore[assignment]
    body = request.data
    if isinstance(body, dict) and "events" in body:
        events = body["events"]
        if not isinstance(events, list) or not 1 <= len(events) <= MAX_BATCH:
            msg = f"events must be a list of 1..{MAX_BATCH} events."
            raise InvalidInput(msg, fields={"events": [msg]})
        return Response({"results": [_batch_item(device, raw) for raw in events]})
    return Response(_one(device, body))


def _batch_item(device: SensorDevice, raw: Any) -> dict[str, Any]:
    try:
        return _one(device, raw)
    except ModugilError as e:
        event_id = raw.get("event_id") if isinstance(raw, dict) else None
        body = error_body(e.message, e.code, e.fields)
        return {"event_id": event_id, "result": "rejected", "status": status_for(e), **body}
