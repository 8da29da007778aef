"""Citizen reports from the form, the API and Open311: evidence rule, bay link, duplicates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pghistory
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from accounts.models import User
from modugil.errors import InvalidInput
from modugil.geo import coordinate_problem, point
from violations import crypto, spots, workflow
from violations.duplicates import find_original
from violations.evidence import PreparedPhoto, check_capture_times, prepare_photo, save_photo
from violations.models import (
    Channel,
    Open311Client,
    ReportSource,
    ReportStatus,
    ViolationPhoto,
    ViolationReport,
    ViolationType,
)


@dataclass
class CitizenReport:
    """What a citizen sends, whatever the channel."""

    lon: float
    lat: float
    violation_type: str
    channel: str = Channel.API
    photos: list[UploadedFile] = field(default_factory=list)
    photo_taken_at: list[datetime | None] = field(default_factory=list)
    # Capture times attested by another system (Open311 attributes) when no files are sent.
    attested_taken_at: list[datetime] = field(default_factory=list)
    plate: str = ""
    plate_visible: bool | None = None
    description: str = ""
    place_text: str = ""
    contact: dict[str, Any] = field(default_factory=dict)
    client_id: uuid.UUID | None = None
    open311_client: Open311Client | None = None
    media_urls: list[str] = field(default_factory=list)


def submit(data: CitizenReport, user: User | None) -> tuple[ViolationReport, bool]:
    """Create a report (or return the one a replayed ``client_id`` created); (report, created)."""
    if data.client_id:
        existing = ViolationReport.objects.filter(client_id=data.client_id).first()
        if existing is not None:
            return existing, False
    _check_basics(data)
    prepared = _prepare_photos(data)
    times = [p.taken_at for p in prepared] or list(data.attested_taken_at)
    attested_only = not data.photos and bool(data.attested_taken_at)
    check_capture_times(times, "photo_taken_at" if attested_only else "photos")
    plate_hash, plate_encrypted = crypto.protect_plate(data.plate)
    saved: list[ViolationPhoto] = []
    try:
        with transaction.atomic(), pghistory.context(channel=data.channel):
            report = _create(data, user, min(times), plate_hash, plate_encrypted)
            for position, photo in enumerate(prepared):
                saved.append(save_photo(report, photo, position, user))
    except IntegrityError:
        _remove_files(saved)
        existing = ViolationReport.objects.filter(client_id=data.client_id).first()
        if data.client_id and existing is not None:
            return existing, False
        raise
    except Exception:
        _remove_files(saved)  # the rows were rolled back: leave no orphaned evidence on disk
        raise
    return report, True


def _remove_files(photos: list[ViolationPhoto]) -> None:
    for photo in photos:
        for stored in (photo.original, photo.redacted):
            if stored and stored.name:
                stored.storage.delete(stored.name)


def _check_basics(data: CitizenReport) -> None:
    problem = coordinate_problem(data.lon, data.lat)
    if problem:
        raise InvalidInput(problem, fields={"location": [problem]})
    if data.violation_type not in ViolationType.values:
        msg = f"Choose one of: {', '.join(ViolationType.values)}."
        raise InvalidInput(msg, fields={"violation_type": [msg]})
    if len(data.description) > 2000:
        msg = "At most 2000 characters."
        raise InvalidInput(msg, fields={"description": [msg]})


def _prepare_photos(data: CitizenReport) -> list[PreparedPhoto]:
    prepared = []
    for i, upload in enumerate(data.photos):
        client_time = data.photo_taken_at[i] if i < len(data.photo_taken_at) else None
        prepared.append(prepare_photo(upload, f"photos[{i}]", client_time))
    return prepared


def _create(
    data: CitizenReport,
    user: User | None,
    occurred_at: datetime,
    plate_hash: str,
    plate_encrypted: str,
) -> ViolationReport:
    report = ViolationReport.objects.create(
        geom=point(data.lon, data.lat),
        occurred_at=occurred_at,
        violation_type=data.violation_type,
        source=ReportSource.CITIZEN,
        channel=data.channel,
        plate_hash=plate_hash,
        plate_encrypted=plate_encrypted,
        plate_visible=data.plate_visible,
        description=_with_media(data.description, data.media_urls),
        place_text=data.place_text[:200],
        reporter=user if user is not None and user.is_authenticated else None,
        reporter_contact_encrypted=crypto.encrypt_contact(data.contact),
        open311_client=data.open311_client,
        client_id=data.client_id,
    )
    spots.link_report(report.pk)
    report.refresh_from_db()
    mark_if_duplicate(report)
    return report


def _with_media(description: str, media_urls: list[str]) -> str:
    if not media_urls:
        return description
    return "\n".join([description, *(f"media_url: {url}" for url in media_urls)]).strip()


def mark_if_duplicate(report: ViolationReport) -> None:
    """Automatic duplicate: the system's one allowed transition (received -> duplicate)."""
    if report.status != ReportStatus.RECEIVED:
        return
    original = find_original(report)
    if original is not None:
        workflow.transition(
            report, ReportStatus.DUPLICATE, actor=None, system=True, duplicate_of=original
        )
        report.refresh_from_db()
