"""Private file storage for evidence photos: outside MEDIA_ROOT, with no public URL at all."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under ``settings.VIOLATIONS_PRIVATE_ROOT``; only authorised views stream them."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.VIOLATIONS_PRIVATE_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        msg = "Private evidence files have no URL; stream them through an authorised view."
        raise ValueError(msg)


private_storage = PrivateStorage()
