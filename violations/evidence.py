"""안전신문고's evidence rule for disabled-parking reports, and photo intake for the evidence.

At least ``VIOLATIONS_MIN_PHOTOS`` photos whose capture times (EXIF, else the time the app sent)
span at least ``VIOLATIONS_MIN_PHOTO_GAP_S`` seconds: the car stayed, it did not just stop.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from PIL import Image, ImageOps

from accounts.models import User
from mapping.photos import clean_jpeg, exif_taken_at, open_checked
from modugil.errors import InvalidInput
from violations import redaction
from violations.models import TakenAtSource, ViolationPhoto, ViolationReport

CLOCK_SKEW = timedelta(minutes=5)


@dataclass
class PreparedPhoto:
    jpeg: bytes
    sha256: str
    width_px: int
    height_px: int
    taken_at: datetime
    taken_at_source: str


def prepare_photo(
    upload: UploadedFile, field: str, client_taken_at: datetime | None
) -> PreparedPhoto:
    """Check an upload, read its capture time and re-encode it upright without EXIF."""
    raw_digest = hashlib.sha256()
    for chunk in upload.chunks():
        raw_digest.update(chunk)
    upload.seek(0)
    image = open_checked(upload, field)
    taken_at = exif_taken_at(image)
    source = TakenAtSource.EXIF
    if taken_at is None:
        taken_at, source = client_taken_at, TakenAtSource.CLIENT  # type: ignore[assignment]
    if taken_at is None:
        msg = "The photo has no capture time: take it with the camera app or send photo_taken_at."
        raise InvalidInput(msg, fields={field: [msg]})
    jpeg = clean_jpeg(ImageOps.exif_transpose(image))
    width, height = Image.open(io.BytesIO(jpeg)).size  # clean_jpeg may have shrunk it
    return PreparedPhoto(jpeg, raw_digest.hexdigest(), width, height, taken_at, source)


def check_capture_times(times: list[datetime], field: str = "photos") -> None:
    """Raise ``InvalidInput`` naming ``field`` unless the times satisfy the evidence rule."""
    minimum, gap_s = settings.VIOLATIONS_MIN_PHOTOS, settings.VIOLATIONS_MIN_PHOTO_GAP_S
    if len(times) < minimum:
        msg = f"Send at least {minimum} photos taken at least {gap_s} seconds apart."
        raise InvalidInput(msg, fields={field: [msg]})
    if len(times) > settings.VIOLATIONS_MAX_PHOTOS:
        msg = f"Send at most {settings.VIOLATIONS_MAX_PHOTOS} photos."
        raise InvalidInput(msg, fields={field: [msg]})
    now = timezone.now()
    if max(times) > now + CLOCK_SKEW:
        msg = "A photo's capture time is in the future: check the phone's clock."
        raise InvalidInput(msg, fields={field: [msg]})
    if min(times) < now - timedelta(days=settings.VIOLATIONS_MAX_REPORT_AGE_DAYS):
        msg = f"Photos must be from the last {settings.VIOLATIONS_MAX_REPORT_AGE_DAYS} days."
        raise InvalidInput(msg, fields={field: [msg]})
    span_s = (max(times) - min(times)).total_seconds()
    if span_s < gap_s:
        msg = (
            f"The photos were taken {span_s:.0f} seconds apart; the rule needs at least "
            f"{gap_s} seconds between the first and the last photo."
        )
        raise InvalidInput(msg, fields={field: [msg]})


def save_photo(
    report: ViolationReport, photo: PreparedPhoto, position: int, user: User | None
) -> ViolationPhoto:
    """Store the photo privately with an automatically redacted copy awaiting an official."""
    stored = ViolationPhoto(
        report=report,
        key=uuid.uuid4(),
        position=position,
        sha256=photo.sha256,
        width_px=photo.width_px,
        height_px=photo.height_px,
        taken_at=photo.taken_at,
        taken_at_source=photo.taken_at_source,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    stored.auto_regions = redaction.detect_regions(photo.jpeg)
    stored.original.save("original.jpg", ContentFile(photo.jpeg), save=False)
    redacted = redaction.render(photo.jpeg, stored.auto_regions)
    stored.redacted.save("redacted.jpg", ContentFile(redacted), save=False)
    stored.save()
    return stored
