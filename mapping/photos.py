"""Photo intake: size and pixel limits, real-image check, EXIF stripped except orientation."""

from __future__ import annotations

import io
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.models import User
from mapping.models import Observation, Photo
from modugil.errors import PayloadTooLarge, UnsupportedMedia

ORIENTATION_TAG = 0x0112
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
DATETIME = 0x0132
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
MAX_STORED_SIDE_PX = 2560


def exif_taken_at(image: Image.Image) -> datetime | None:
    """Capture time from EXIF (DateTimeOriginal, else DateTime); local time unless an offset is given."""
    exif = image.getexif()
    sub = exif.get_ifd(EXIF_IFD)
    raw = sub.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not raw:
        return None
    try:
        naive = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None
    offset = sub.get(OFFSET_TIME_ORIGINAL)
    if offset:
        try:
            return datetime.fromisoformat(naive.isoformat() + str(offset).strip("\x00 "))
        except ValueError:
            pass
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def open_checked(upload: UploadedFile, field: str = "image") -> Image.Image:
    """Open an upload as an image or raise a 4xx naming ``field``; never decodes a pixel bomb."""
    if upload.size is not None and upload.size > settings.MAX_UPLOAD_BYTES:
        limit_mb = settings.MAX_UPLOAD_BYTES / 1024 / 1024
        raise PayloadTooLarge(
            _("File is larger than %(mb).0f MB.") % {"mb": limit_mb},
            fields={field: [_("Larger than %(mb).0f MB.") % {"mb": limit_mb}]},
        )
    try:
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as e:
        raise UnsupportedMedia(
            _("Not an image."), fields={field: [_("Not a JPEG, PNG or WebP image.")]}
        ) from e
    if image.format not in ACCEPTED_FORMATS:
        raise UnsupportedMedia(
            _("Unsupported image format %(format)s.") % {"format": image.format},
            fields={field: [_("Use JPEG, PNG or WebP.")]},
        )
    width, height = image.size
    if width * height > settings.MAX_IMAGE_PIXELS:
        raise PayloadTooLarge(
            _("Image has %(w)sx%(h)s pixels, over the limit of %(limit)s.")
            % {"w": width, "h": height, "limit": settings.MAX_IMAGE_PIXELS},
            fields={field: [_("Too many pixels.")]},
        )
    return image


def clean_jpeg(image: Image.Image) -> bytes:
    """Re-encode as JPEG keeping only the orientation tag (no GPS, no device, no owner)."""
    orientation = image.getexif().get(ORIENTATION_TAG)
    if max(image.size) > MAX_STORED_SIDE_PX:
        image = image.copy()
        image.thumbnail((MAX_STORED_SIDE_PX, MAX_STORED_SIDE_PX))
    kept = Image.Exif()
    if orientation:
        kept[ORIENTATION_TAG] = orientation
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85, exif=kept.tobytes())
    return out.getvalue()


def store_photo(
    target: Observation,
    upload: UploadedFile,
    user: User,
    caption: str = "",
    client_id: uuid.UUID | None = None,
) -> Photo:
    """Check, clean and store an upload; a known ``client_id`` returns the photo stored first."""
    if client_id is not None:
        existing = Photo.objects.filter(client_id=client_id).first()
        if existing is not None:
            return existing
    image = open_checked(upload)
    taken_at = exif_taken_at(image)
    photo = Photo(
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=target.pk,
        key=uuid.uuid4(),
        taken_at=taken_at,
        caption=caption[:300],
        client_id=client_id,
        uploaded_by=user,
    )
    data = clean_jpeg(image)
    photo.width_px, photo.height_px = Image.open(io.BytesIO(data)).size
    photo.image.save(f"{photo.key}.jpg", ContentFile(data), save=False)
    photo.save()
    return photo
