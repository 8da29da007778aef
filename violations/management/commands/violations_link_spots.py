"""Re-link every violation report to its nearest disabled bay (after new bays were mapped)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from violations import spots


class Command(BaseCommand):
    help = "Link reports to the nearest disabled-parking bay within VIOLATIONS_SPOT_RADIUS_M."

    def handle(self, *args: Any, **opts: Any) -> None:
        with transaction.atomic():
            changed = spots.link_spots()
        self.stdout.write(f"{changed} reports re-linked")
