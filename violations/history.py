"""A report's pghistory events with the names of who made them (API and review page)."""

from __future__ import annotations

from typing import Any

import pghistory.models

from accounts.models import User
from violations.models import ViolationReport


def report_events(report: ViolationReport) -> tuple[list[Any], dict[int, str]]:
    """Events oldest first, and the public names of the users in their contexts."""
    events = list(
        pghistory.models.Events.objects.tracks(report).order_by("pgh_created_at", "pgh_id")
    )
    ids = {int(e.pgh_context["user"]) for e in events if (e.pgh_context or {}).get("user")}
    names = {u.pk: u.public_name for u in User.objects.filter(pk__in=ids)}
    return events, names
