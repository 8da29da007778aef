"""Evidence photos: stored privately, auto-redacted, published only after an official's check."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from violations.models.reports import ViolationReport
from violations.storage import private_storage


class RedactionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an official's check")
    APPROVED = "approved", _("Redaction approved: published")
    REJECTED = "rejected", _("Not publishable")


class TakenAtSource(models.TextChoices):
    EXIF = "exif", _("Photo EXIF")
    CLIENT = "client", _("Capture time sent by the app")


def original_path(instance: ViolationPhoto, filename: str) -> str:
    return f"reports/{instance.report_id}/{instance.key}-original.jpg"


def redacted_path(instance: ViolationPhoto, filename: str) -> str:
    return f"reports/{instance.report_id}/{instance.key}-redacted.jpg"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["original", "redacted"],
)
class ViolationPhoto(models.Model):
    report = models.ForeignKey(ViolationReport, on_delete=models.CASCADE, related_name="photos")
    key = models.UUIDField(unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    original = models.FileField(storage=private_storage, upload_to=original_path, max_length=200)
    redacted = models.FileField(
        storage=private_storage, upload_to=redacted_path, max_length=200, blank=True
    )
    sha256 = models.CharField(_("SHA-256 of the upload"), max_length=64)
    width_px = models.PositiveIntegerField(default=0)
    height_px = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(_("taken at"))
    taken_at_source = models.CharField(max_length=10, choices=TakenAtSource.choices)
    auto_regions = models.JSONField(
        default=list, blank=True, help_text=_("Detected plates and faces: [x, y, w, h, kind].")
    )
    manual_regions = models.JSONField(
        default=list, blank=True, help_text=_("Rectangles an official added: [x, y, w, h].")
    )
    redaction_status = models.CharField(
        max_length=10, choices=RedactionStatus.choices, default=RedactionStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every manual redaction and review, so a check is always of the copy it saw.
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["report", "position", "pk"]

    def __str__(self) -> str:
        return f"photo {self.position + 1} of report {self.report_id}"

    @property
    def is_published(self) -> bool:
        return self.redaction_status == RedactionStatus.APPROVED and bool(self.redacted)

    @property
    def etag(self) -> str:
        return f'"v{self.revision}"'
