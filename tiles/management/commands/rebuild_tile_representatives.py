"""manage.py rebuild_tile_representatives: recompute the thinned tiles' representatives."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiles.representatives import rebuild_representatives


class Command(BaseCommand):
    help = (
        "Recompute the one-feature-per-cell table that low-zoom feature tiles read "
        "(after a bulk load that skipped triggers)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        kept = rebuild_representatives()
        self.stdout.write(f"{kept} representatives kept")
