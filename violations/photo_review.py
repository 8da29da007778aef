"""An official's check of redacted photos: add rectangles, then approve (publish) or reject.

Both writes carry the photo ``revision`` the official looked at. The row is locked, a stale
revision is refused (412) before anything is rendered or saved, and a missing one is refused
(428): publication must be of the copy that was checked, and rectangles must not silently replace
a colleague's.
"""

from __future__ import annotations

import pghistory
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from modugil.errors import Forbidden, InvalidInput, NotFound, PreconditionRequired
from violations import redaction
from violations.models import RedactionStatus, ViolationPhoto
from violations.workflow import StaleReport


class StalePhoto(StaleReport):
    """A colleague changed the photo since the official loaded it (412, code ``stale_version``)."""


def _official(user: User) -> None:
    if not (user and user.is_authenticated and user.has_role(Role.OFFICIAL)):
        raise Forbidden("Only officials redact and publish evidence photos.")


def _lock(photo: ViolationPhoto, expected_revision: int | None) -> ViolationPhoto:
    """The photo's row, locked for this transaction, at the revision the official saw."""
    if expected_revision is None:
        msg = _(
            "Send the photo revision you checked (If-Match or the revision field): "
            "nothing is redacted or published unseen."
        )
        raise PreconditionRequired(msg, fields={"revision": [msg]})
    try:
        locked = ViolationPhoto.objects.select_for_update().get(pk=photo.pk)
    except ViolationPhoto.DoesNotExist as e:
        raise NotFound(_("No such photo.")) from e
    if locked.revision != expected_revision:
        raise StalePhoto(
            _(
                "Someone changed this photo since revision %(base)s; it is now revision "
                "%(current)s. Nothing was saved: look at the current redacted copy, then try again."
            )
            % {"base": expected_revision, "current": locked.revision},
            fields={
                "revision": [
                    _("Stale: current revision is %(current)s.") % {"current": locked.revision}
                ]
            },
            current_revision=locked.revision,
            current_status=locked.redaction_status,
        )
    return locked


def set_manual_regions(
    photo: ViolationPhoto, boxes: object, user: User, *, expected_revision: int | None
) -> ViolationPhoto:
    """Replace the manual rectangles and re-render the redacted copy; it needs a new check."""
    _official(user)
    regions = redaction.clean_rectangles(boxes, photo.width_px, photo.height_px)
    with transaction.atomic(), pghistory.context(action="manual_redaction"):
        locked = _lock(photo, expected_revision)
        with locked.original.open("rb") as fh:
            rendered = redaction.render(fh.read(), [*locked.auto_regions, *regions])
        old = locked.redacted.name
        locked.manual_regions = [r[:4] for r in regions]
        locked.redacted.save("redacted.jpg", ContentFile(rendered), save=False)
        locked.redaction_status = RedactionStatus.PENDING
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        locked.revision += 1
        locked.save()
    if old and old != locked.redacted.name:
        locked.redacted.storage.delete(old)
    return locked


def review(
    photo: ViolationPhoto, decision: str, user: User, *, expected_revision: int | None
) -> ViolationPhoto:
    """Approve publishes the redacted copy (never the original); reject keeps it internal."""
    _official(user)
    if decision not in ("approve", "reject"):
        raise InvalidInput("decision is approve or reject.", fields={"decision": ["Unknown."]})
    with transaction.atomic(), pghistory.context(action=f"photo_{decision}"):
        locked = _lock(photo, expected_revision)
        if decision == "approve" and not locked.redacted:
            raise InvalidInput(
                "No redacted copy to publish.", fields={"decision": ["Not redacted."]}
            )
        locked.redaction_status = (
            RedactionStatus.APPROVED if decision == "approve" else RedactionStatus.REJECTED
        )
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        locked.revision += 1
        locked.save(update_fields=["redaction_status", "reviewed_by", "reviewed_at", "revision"])
    return locked
