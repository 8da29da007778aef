"""What an official sees on a report: decrypted private data (logged), candidate duplicates,
the status history and the transitions open to them. Rules stay in ``violations.workflow``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from accounts.models import Role, User
from modugil.errors import Forbidden
from violations import crypto, workflow
from violations.access_log import log_private_views
from violations.history import report_events
from violations.models import (
    AccessChannel,
    ReportStatus,
    ViolationReport,
)


@dataclass(frozen=True)
class PrivateData:
    plate: str
    contact: dict[str, Any]


def reveal(report: ViolationReport, user: User, *, channel: str, path: str = "") -> PrivateData:
    """The decrypted plate and contact for an official; every view of either is logged."""
    if not (user and user.is_authenticated and user.has_role(Role.OFFICIAL)):
        raise Forbidden("Only officials see plates and reporters' contacts.")
    log_private_views([report], user, channel=channel, path=path)
    return PrivateData(
        plate=crypto.decrypt(report.plate_encrypted),
        contact=crypto.decrypt_contact(report.reporter_contact_encrypted),
    )


def reveal_on_page(report: ViolationReport, user: User, path: str) -> PrivateData:
    return reveal(report, user, channel=AccessChannel.REVIEW_PAGE, path=path)


def candidates(report: ViolationReport, limit: int = 20) -> QuerySet[ViolationReport]:
    """Other reports of the same bay or the same plate within the duplicate window."""
    window = timedelta(minutes=settings.VIOLATIONS_DUPLICATE_WINDOW_MIN)
    same = Q(pk__in=[])
    if report.spot_id:
        same |= Q(spot_id=report.spot_id)
    if report.plate_hash:
        same |= Q(plate_hash=report.plate_hash)
    return (
        ViolationReport.objects.exclude(pk=report.pk)
        .filter(same)
        .filter(
            occurred_at__gte=report.occurred_at - window,
            occurred_at__lte=report.occurred_at + window,
        )
        .annotate(
            same_plate=ExpressionWrapper(
                Q(plate_hash=report.plate_hash) & ~Q(plate_hash=""), output_field=BooleanField()
            )
        )
        .select_related("spot")
        .order_by("occurred_at", "pk")[:limit]
    )


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    user: str | None
    frm: str
    to: str
    reason: str


def status_history(report: ViolationReport) -> list[StatusChange]:
    """Creation and every status change: who, when, from, to, reason (labels, not codes)."""
    events, names = report_events(report)
    labels = dict(ReportStatus.choices)
    reasons = dict(type(report)._meta.get_field("decision_reason").choices or [])
    changes = []
    for event in events:
        diff = event.pgh_diff or {}
        context = event.pgh_context or {}
        if event.pgh_label == "insert":
            frm, to = "", event.pgh_data.get("status", "")
        elif "status" in diff:
            frm, to = diff["status"]
        else:
            continue
        user_id = context.get("user")
        reason = context.get("reason") or event.pgh_data.get("decision_reason") or ""
        changes.append(
            StatusChange(
                at=event.pgh_created_at,
                user=names.get(int(user_id)) if user_id else None,
                frm=str(labels.get(frm, frm)),
                to=str(labels.get(to, to)),
                reason=str(reasons.get(reason, reason)),
            )
        )
    return changes


@dataclass(frozen=True)
class TransitionChoice:
    to: str
    label: str
    needs_reason: bool


def transition_choices(report: ViolationReport, user: User) -> list[TransitionChoice]:
    """The buttons to show: the workflow's allowed targets for this user, minus 'duplicate',
    which is offered next to each candidate (it needs the original)."""
    labels = dict(ReportStatus.choices)
    return [
        TransitionChoice(to, str(labels[to]), workflow.needs_reason(report.status, to))
        for to in workflow.allowed_targets(report.status, user)
        if to != ReportStatus.DUPLICATE
    ]
