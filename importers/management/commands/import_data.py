"""manage.py import_data <source> <file> [--commit] [--strict]: a dry run unless --commit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from importers.base import run_import
from importers.errors import ImporterError
from importers.registry import SOURCES, get_source


class Command(BaseCommand):
    help = "Import a data file through one of the registered sources (dry run by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(SOURCES))
        parser.add_argument("path", type=Path)
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument(
            "--strict", action="store_true", help="any rejected row fails the batch"
        )
        parser.add_argument("--report", type=Path, help="write the per-row report as JSON here")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = run_import(
                get_source(options["source"]),
                options["path"],
                commit=options["commit"],
                strict=options["strict"],
                progress=lambda items: tqdm(
                    items, desc=options["source"], unit=" rows", disable=options["verbosity"] < 1
                ),
            )
        except ImporterError as e:
            raise CommandError(e.message) from e
        mode = "committed" if report.committed else "dry run (use --commit to write)"
        self.stdout.write(
            f"{options['source']}: {mode}: {json.dumps(report.counts, ensure_ascii=False)}"
        )
        for outcome in report.rejected[:20]:
            self.stdout.write(f"  row {outcome.row} ({outcome.key}): {outcome.errors}")
        if len(report.rejected) > 20:
            self.stdout.write(f"  ... and {len(report.rejected) - 20} more rejected rows")
        if options["report"]:
            rows = [o.__dict__ for o in report.outcomes]
            options["report"].write_text(
                json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        if report.message:
            raise CommandError(report.message)
