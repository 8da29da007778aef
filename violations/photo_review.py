"""An official's check of redacted photos: add rectangles, then approve (publish) or reject."""

from __future__ import annotations

import pghistory
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from modugil.errors import Forbidden, InvalidInput
from violations import redaction
from violations.models import RedactionStatus, ViolationPhoto


def _official(user: User) -> None:
    if not (user and user.is_authenticated and user.has_role(Role.OFFICIAL)):
        raise Forbidden("Only officials redact and publish evidence photos.")


def set_manual_regions(photo: ViolationPhoto, boxes: object, user: User) -> ViolationPhoto:
    """Replace the manual rectangles and re-render the redacted copy; it needs a new check."""
    _official(user)
    regions = redaction.clean_rectangles(boxes, photo.width_px, photo.height_px)
    with photo.original.open("rb") as fh:
        original = fh.read()
    rendered = redaction.render(original, [*photo.auto_regions, *regions])
    with transaction.atomic(), pghistory.context(action="manual_redaction"):
        old = photo.redacted.name
        photo.manual_regions = [r[:4] for r in regions]
        photo.redacted.save("redacted.jpg", ContentFile(rendered), save=False)
        photo.redaction_status = RedactionStatus.PENDING
        photo.reviewed_by, photo.reviewed_at = user, timezone.now()
        photo.save()
    if old and old != photo.redacted.name:
        photo.redacted.storage.delete(old)
    return photo


def review(photo: ViolationPhoto, decision: str, user: User) -> ViolationPhoto:
    """Approve publishes the redacted copy (never the original); reject keeps it internal."""
    _official(user)
    if decision not in ("approve", "reject"):
        raise InvalidInput("decision is approve or reject.", fields={"decision": ["Unknown."]})
    if decision == "approve" and not photo.redacted:
        raise InvalidInput("No redacted copy to publish.", fields={"decision": ["Not redacted."]})
    with pghistory.context(action=f"photo_{decision}"):
        photo.redaction_status = (
            RedactionStatus.APPROVED if decision == "approve" else RedactionStatus.REJECTED
        )
        photo.reviewed_by, photo.reviewed_at = user, timezone.now()
        photo.save(update_fields=["redaction_status", "reviewed_by", "reviewed_at"])
    return photo
