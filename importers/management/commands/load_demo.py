"""manage.py load_demo: the demo area (idempotent; files already loaded are skipped)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from importers.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo area from the shared data directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="re-import files already loaded")

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(lambda line: self.stdout.write(f"demo: {line}"), force=options["force"])
