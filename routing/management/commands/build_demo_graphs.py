"""manage.py build_demo_graphs: pedestrian graphs of the demo area (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from routing.graph.demo import build_demo_graphs


class Command(BaseCommand):
    help = "Build the pedestrian graphs of the demo area from the shared data directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="rebuild graphs already built")

    def handle(self, *args: Any, **options: Any) -> None:
        build_demo_graphs(lambda line: self.stdout.write(f"graph: {line}"), force=options["force"])
