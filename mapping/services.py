"""Write-side operations on observations: versioned edits, soft delete, votes and consensus.

Every write to shared data passes through here so that the rules hold in one place:
a stale version never overwrites (the refused edit is kept as an ``EditConflict``), deletes are
soft, and history is recorded by database triggers (django-pghistory) whatever the writer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mapping.models import EditConflict, Observation, ReviewStatus, Vote, VoteValue
from mapping.models.vocab import SOURCE_PRIOR_CONFIDENCE, Source
from modugil.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)

ObsT = TypeVar("ObsT", bound=Observation)

_ETAG = re.compile(r'^(?:W/)?"?v?(\d+)"?$')


class StaleIfMatch(PreconditionFailed):
    code = "stale_version"


class StaleVersion(Conflict):
    code = "stale_version"


def expected_version(if_match: str | None, body_version: Any) -> tuple[int, bool]:
    """The version a client edited, from ``If-Match`` or a body ``version``; (version, via_header)."""
    if if_match:
        match = _ETAG.match(if_match.strip())
        if not match:
            msg = _('If-Match must be the ETag you read, e.g. "v3".')
            raise InvalidInput(msg, fields={"If-Match": [msg]})
        return int(match.group(1)), True
    if body_version not in (None, ""):
        try:
            return int(body_version), False
        except (TypeError, ValueError) as e:
            raise InvalidInput(
                _("version must be an integer."), fields={"version": [_("Must be an integer.")]}
            ) from e
    msg = _(
        "Send If-Match with the ETag you edited (or the version field) so edits never overwrite."
    )
    raise PreconditionRequired(msg, fields={"version": [msg]})


def _record_conflict(
    instance: Observation, user: User | None, base: int, current: int, attempted: Any, method: str
) -> EditConflict:
    return EditConflict.objects.create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
        user=user if user and user.is_authenticated else None,
        base_version=base,
        current_version=current,
        attempted=attempted if isinstance(attempted, dict | list) else {"raw": str(attempted)},
        method=method,
    )


def _lock(model: type[ObsT], pk: int) -> ObsT:
    try:
        obj = model.all_objects.select_for_update().get(pk=pk)  # type: ignore[attr-defined]
    except model.DoesNotExist as e:
        raise NotFound(_("Not found.")) from e
    if obj.deleted_at is not None:
        raise NotFound(_("This contribution was deleted."))
    return obj  # type: ignore[no-any-return, return-value]


def versioned_write(
    instance: ObsT,
    *,
    version: int,
    via_header: bool,
    user: User | None,
    attempted: Any,
    method: str,
    apply: Callable[[ObsT], ObsT],
) -> ObsT:
    """Lock the row, refuse a stale version, then ``apply`` the change and bump the version.

    Two writers on one version: the first commits; the second waits on the row lock, sees the
    new version and gets 409/412. Its request body is kept as an ``EditConflict``.
    """
    model = type(instance)
    stale: tuple[int, int] | None = None
    with transaction.atomic():
        locked = _lock(model, instance.pk)
        if locked.version != version:
            stale = (version, locked.version)
        else:
            locked.version = version + 1
            return apply(locked)
    conflict = _record_conflict(instance, user, stale[0], stale[1], attempted, method)
    error = StaleIfMatch if via_header else StaleVersion
    raise error(
        _(
            "Someone changed this since version %(base)s; it is now version %(current)s. "
            "Your edit was kept, not applied: reload and merge."
        )
        % {"base": stale[0], "current": stale[1]},
        fields={"version": [_("Stale: current version is %(current)s.") % {"current": stale[1]}]},
        current_version=stale[1],
        conflict_id=conflict.pk,
    )


def soft_delete(obj: ObsT) -> ObsT:
    obj.deleted_at = timezone.now()
    obj.save(update_fields=["deleted_at", "version", "updated_at", "resurvey_due_at"])
    return obj


# --- Validation votes and consensus -----------------------------------------------------------

# Officials' votes weigh double (Project Sidewalk's high-quality-user idea).
OFFICIAL_VOTE_WEIGHT = 2.0
PRIOR_WEIGHT = 2.0


def cast_vote(
    target: Observation,
    user: User,
    value: str,
    *,
    corrected: dict[str, Any] | None = None,
    comment: str = "",
) -> Vote:
    """Record or change ``user``'s vote on ``target`` and refresh its consensus."""
    if value not in VoteValue.values:
        msg = _("Must be one of: %(values)s.") % {"values": ", ".join(VoteValue.values)}
        raise InvalidInput(msg, fields={"value": [msg]})
    if target.observer_id is not None and target.observer_id == user.pk:
        raise Forbidden(
            _("You cannot validate your own contribution."),
            fields={"value": [_("Own contribution.")]},
        )
    content_type = ContentType.objects.get_for_model(type(target))
    with transaction.atomic():
        vote, _created = Vote.objects.update_or_create(
            content_type=content_type,
            object_id=target.pk,
            user=user,
            defaults={"value": value, "corrected": corrected or {}, "comment": comment},
        )
        refresh_consensus(target)
    return vote


def consensus(source: str, weighted_agree: float, weighted_disagree: float) -> tuple[str, float]:
    """Status and confidence from weighted votes; confidence is a Beta-posterior mean."""
    prior = SOURCE_PRIOR_CONFIDENCE.get(Source(source), 0.5)
    confidence = (prior * PRIOR_WEIGHT + weighted_agree) / (
        PRIOR_WEIGHT + weighted_agree + weighted_disagree
    )
    if weighted_agree >= 2 and weighted_agree >= 2 * weighted_disagree:
        status = ReviewStatus.VALIDATED
    elif weighted_disagree >= 2 and weighted_disagree >= 2 * weighted_agree:
        status = ReviewStatus.REJECTED
    elif weighted_agree > 0 and weighted_disagree > 0:
        status = ReviewStatus.DISPUTED
    else:
        status = ReviewStatus.UNVALIDATED
    return status.value, round(confidence, 4)


def refresh_consensus(target: Observation) -> None:
    """Recount votes; votes change trust, not content, so the edit version stays."""
    votes = Vote.objects.filter(
        content_type=ContentType.objects.get_for_model(type(target)), object_id=target.pk
    ).select_related("user")
    counts = dict.fromkeys(VoteValue.values, 0)
    weights = dict.fromkeys(VoteValue.values, 0.0)
    for vote in votes:
        counts[vote.value] += 1
        weights[vote.value] += OFFICIAL_VOTE_WEIGHT if vote.user.is_official else 1.0
    status, confidence = consensus(target.source, weights["agree"], weights["disagree"])
    last_agree = votes.filter(value=VoteValue.AGREE).aggregate(at=Max("updated_at"))["at"]
    target.status = status
    target.confidence = confidence
    target.agree_count, target.disagree_count, target.unsure_count = (
        counts["agree"],
        counts["disagree"],
        counts["unsure"],
    )
    if last_agree and (target.last_verified_at is None or last_agree > target.last_verified_at):
        target.last_verified_at = last_agree
    target.save(
        update_fields=[
            "status",
            "confidence",
            "agree_count",
            "disagree_count",
            "unsure_count",
            "last_verified_at",
            "resurvey_due_at",
            "updated_at",
        ]
    )


def review(target: Observation, official: User, decision: str, reason: str = "") -> Observation:
    """An official's decision overrides the crowd's: validated (re-verified now) or rejected."""
    if not official.is_official:
        raise Forbidden(_("Only officials review contributions."))
    if decision not in (ReviewStatus.VALIDATED, ReviewStatus.REJECTED):
        msg = _("Must be validated or rejected.")
        raise InvalidInput(msg, fields={"decision": [msg]})
    target.status = decision
    if decision == ReviewStatus.VALIDATED:
        target.last_verified_at = timezone.now()
        target.confidence = max(target.confidence or 0, 0.9)
    else:
        target.confidence = min(target.confidence or 0, 0.1)
    if reason:
        target.note = (
            f"{target.note}\n[{timezone.now():%Y-%m-%d}] {official.username}: {reason}".strip()
        )
    target.save(
        update_fields=[
            "status",
            "last_verified_at",
            "confidence",
            "note",
            "resurvey_due_at",
            "updated_at",
        ]
    )
    return target
