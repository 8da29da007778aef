"""Every time an official is shown a decrypted plate or contact, one ``PrivateDataAccess`` row."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import User
from violations.models import PrivateDataAccess, ViolationReport


def log_private_views(
    reports: Iterable[ViolationReport], user: User, *, channel: str, path: str = ""
) -> None:
    """Record which private fields of which reports ``user`` was shown (reports without any: none)."""
    # The path without its query: a plate search (?plate=...) must not put the plate in the log.
    path = path.split("?", 1)[0][:200]
    rows = []
    for report in reports:
        fields = [
            name
            for name, token in (
                ("plate", report.plate_encrypted),
                ("contact", report.reporter_contact_encrypted),
            )
            if token
        ]
        if fields:
            rows.append(
                PrivateDataAccess(
                    report=report, user=user, fields=fields, channel=channel, path=path
                )
            )
    PrivateDataAccess.objects.bulk_create(rows)
