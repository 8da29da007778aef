"""Violation reports, their photos and notes, IoT sensors and Open311 clients."""

from violations.models.access import AccessChannel, PrivateDataAccess
from violations.models.clients import Open311Client
from violations.models.photos import RedactionStatus, TakenAtSource, ViolationPhoto
from violations.models.reports import H3_STORED_RES, ReportNote, ViolationReport, h3_cell
from violations.models.sensors import SensorDevice, SensorEvent, SensorEventKind, SensorSession
from violations.models.vocab import (
    CLOSED_STATUSES,
    COUNTED_STATUSES,
    Channel,
    DecisionReason,
    ReportSource,
    ReportStatus,
    TimePrecision,
    ViolationType,
)

__all__ = [
    "CLOSED_STATUSES",
    "COUNTED_STATUSES",
    "H3_STORED_RES",
    "AccessChannel",
    "Channel",
    "DecisionReason",
    "Open311Client",
    "PrivateDataAccess",
    "RedactionStatus",
    "ReportNote",
    "ReportSource",
    "ReportStatus",
    "SensorDevice",
    "SensorEvent",
    "SensorEventKind",
    "SensorSession",
    "TakenAtSource",
    "TimePrecision",
    "ViolationPhoto",
    "ViolationReport",
    "ViolationType",
    "h3_cell",
]
