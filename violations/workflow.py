"""The status workflow of a violation report: every transition and who may make it, in one table.

received -> under review -> confirmed -> warned / fined -> closed; dismissed; duplicate.
Only officials (and admins) move reports; the system may only mark an automatic duplicate.
History is recorded by pghistory triggers, with the transition and reason in the context.
"""

from __future__ import annotations

from dataclasses import dataclass

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from modugil.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from violations.models import DecisionReason, ReportNote, ReportStatus, ViolationReport

S = ReportStatus


@dataclass(frozen=True)
class Rule:
    role: Role = Role.OFFICIAL
    system: bool = False  # the system (automatic duplicate detection) may make it too
    needs_reason: bool = False


TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.RECEIVED, S.UNDER_REVIEW): Rule(),
    (S.RECEIVED, S.CONFIRMED): Rule(),
    (S.RECEIVED, S.DISMISSED): Rule(needs_reason=True),
    (S.RECEIVED, S.DUPLICATE): Rule(system=True),
    (S.UNDER_REVIEW, S.CONFIRMED): Rule(),
    (S.UNDER_REVIEW, S.DISMISSED): Rule(needs_reason=True),
    (S.UNDER_REVIEW, S.DUPLICATE): Rule(),
    (S.CONFIRMED, S.WARNED): Rule(),
    (S.CONFIRMED, S.FINED): Rule(),
    (S.WARNED, S.FINED): Rule(),
    (S.WARNED, S.CLOSED): Rule(),
    (S.FINED, S.CLOSED): Rule(),
    (S.DISMISSED, S.UNDER_REVIEW): Rule(needs_reason=True),
    (S.DUPLICATE, S.UNDER_REVIEW): Rule(needs_reason=True),
}

DEFAULT_REASON = {
    S.DUPLICATE: DecisionReason.DUPLICATE_REPORT,
    S.WARNED: DecisionReason.WARNING_ISSUED,
    S.FINED: DecisionReason.FINE_ISSUED,
    S.CONFIRMED: DecisionReason.EVIDENCE_SUFFICIENT,
}


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class StaleReport(PreconditionFailed):
    code = "stale_version"


def needs_reason(status: str, to: str) -> bool:
    """Whether moving from ``status`` to ``to`` requires a reason (for form hints)."""
    rule = TRANSITIONS.get((status, to))
    return bool(rule and rule.needs_reason)


def allowed_targets(status: str, user: User | None) -> list[str]:
    """Statuses ``user`` may move a report in ``status`` to (for buttons and API hints)."""
    return [
        to
        for (frm, to), rule in TRANSITIONS.items()
        if frm == status and _may(user, rule, system=False)
    ]


def _may(user: User | None, rule: Rule, *, system: bool) -> bool:
    if system:
        return rule.system
    return bool(user is not None and user.is_authenticated and user.has_role(rule.role))


def transition(
    report: ViolationReport,
    to: str,
    *,
    actor: User | None,
    system: bool = False,
    reason: str = "",
    note: str = "",
    duplicate_of: ViolationReport | None = None,
    expected_version: int | None = None,
) -> ViolationReport:
    """Move ``report`` to ``to`` or raise: 403 for the wrong role, 409 for an impossible move."""
    if to not in S.values:
        raise InvalidInput(f"Unknown status {to!r}.", fields={"to": [f"Unknown status {to!r}."]})
    if reason and reason not in DecisionReason.values:
        raise InvalidInput("Unknown reason.", fields={"reason": [f"Unknown reason {reason!r}."]})
    if not system and not any(_may(actor, r, system=False) for r in TRANSITIONS.values()):
        raise Forbidden("Only officials change the status of a violation report.")
    with transaction.atomic():
        locked = _lock(report.pk)
        _check_version(locked, expected_version)
        rule = TRANSITIONS.get((locked.status, to))
        if rule is None:
            raise TransitionNotAllowed(
                f"A report that is {locked.status} cannot become {to}.",
                fields={"to": [f"Allowed from {locked.status}: {_targets(locked.status)}."]},
                current_status=locked.status,
            )
        if not _may(actor, rule, system=system):
            raise Forbidden(f"Only officials may mark a report {to}.")
        frm = locked.status
        _apply(locked, to, rule, actor=actor, reason=reason, duplicate_of=duplicate_of)
        with pghistory.context(transition=f"{frm}->{to}", reason=locked.decision_reason):
            locked.save()
        if note.strip():
            ReportNote.objects.create(report=locked, author=actor, text=note.strip())
    report.refresh_from_db()
    return locked


def add_note(
    report: ViolationReport, text: str, *, author: User, expected_version: int | None = None
) -> ReportNote:
    """An official's internal note; refused (412) when the report changed since ``expected_version``."""
    if not (author and author.is_authenticated and author.has_role(Role.OFFICIAL)):
        raise Forbidden("Only officials write notes on violation reports.")
    if not text.strip():
        msg = _("Write a note first.")
        raise InvalidInput(msg, fields={"text": [msg]})
    with transaction.atomic():
        locked = _lock(report.pk)
        _check_version(locked, expected_version)
        return ReportNote.objects.create(report=locked, author=author, text=text.strip())


def _check_version(locked: ViolationReport, expected: int | None) -> None:
    if expected is None or locked.version == expected:
        return
    raise StaleReport(
        _(
            "Someone changed this since version %(base)s; it is now version %(current)s. "
            "Your edit was kept, not applied: reload and merge."
        )
        % {"base": expected, "current": locked.version},
        fields={
            "version": [_("Stale: current version is %(current)s.") % {"current": locked.version}]
        },
        current_version=locked.version,
    )


def _targets(status: str) -> str:
    return ", ".join(to for (frm, to) in TRANSITIONS if frm == status) or "none (final)"


def _lock(pk: int) -> ViolationReport:
    try:
        return ViolationReport.objects.select_for_update().get(pk=pk)
    except ViolationReport.DoesNotExist as e:
        raise NotFound("No such report.") from e


def _apply(
    report: ViolationReport,
    to: str,
    rule: Rule,
    *,
    actor: User | None,
    reason: str,
    duplicate_of: ViolationReport | None,
) -> None:
    reason = reason or DEFAULT_REASON.get(S(to), "")
    if rule.needs_reason and not reason:
        msg = f"Give a reason to mark a report {to}."
        raise InvalidInput(msg, fields={"reason": [msg]})
    if to == S.UNDER_REVIEW and report.status in (S.DISMISSED, S.DUPLICATE):
        report.duplicate_of = None
    if to == S.DUPLICATE:
        report.duplicate_of = _original(report, duplicate_of)
    report.status = to
    report.decision_reason = reason
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.version += 1


def _original(report: ViolationReport, duplicate_of: ViolationReport | None) -> ViolationReport:
    """The report this one duplicates, following chains to the first one."""
    if duplicate_of is None:
        msg = "Name the report this one duplicates."
        raise InvalidInput(msg, fields={"duplicate_of": [msg]})
    seen = {report.pk}
    original = duplicate_of
    while original.status == S.DUPLICATE and original.duplicate_of_id:
        if original.pk in seen:
            break
        seen.add(original.pk)
        original = original.duplicate_of  # type: ignore[assignment]
    if original.pk in seen:
        msg = "A report cannot duplicate itself."
        raise InvalidInput(msg, fields={"duplicate_of": [msg]})
    return original
