"""manage.py import_data <source> <file> [--commit] [--strict]: a dry run unless --commit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from importers.base import run_import
from importers.errors import ImporterError
from importers.geocoding import build_chain
from importers.records import ImportReport
from importers.registry import SOURCES, get_source
from importers.report import write_report

SHOWN_ROWS = 20


class Command(BaseCommand):
    help = (
        "Import a data file through one of the registered sources. A dry run by default: the "
        "per-row report says what a commit would do (created / updated / unchanged / rejected "
        "and why / needs geocoding)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(SOURCES))
        parser.add_argument("path", type=Path)
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument(
            "--strict", action="store_true", help="any rejected row fails the batch"
        )
        parser.add_argument(
            "--report", type=Path, help="write the per-row report here (.json, .jsonl or .csv)"
        )
        parser.add_argument(
            "--geocoders",
            help="comma-separated geocoders for address-only rows (default: settings; "
            "'none' keeps them all as needing geocoding)",
        )
        parser.add_argument(
            "--outside-service-area",
            metavar="REASON",
            default="",
            help="skip the service-area check for this run, saying why (foreign reference data)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["geocoders"]
        chain = None if names == "none" else build_chain(names.split(",") if names else None)
        try:
            report = run_import(
                get_source(options["source"]),
                options["path"],
                commit=options["commit"],
                strict=options["strict"],
                geocode=chain is not None,
                geocoder=chain,
                outside_service_area=options["outside_service_area"],
                progress=lambda items: tqdm(
                    items, desc=options["source"], unit=" rows", disable=options["verbosity"] < 1
                ),
            )
        except ImporterError as e:
            raise CommandError(f"{e.message} {json.dumps(e.fields, ensure_ascii=False)}") from e
        self._summarise(report)
        if options["report"]:
            write_report(report, options["report"])
        if report.message:
            raise CommandError(report.message)

    def _summarise(self, report: ImportReport) -> None:
        mode = "committed" if report.committed else "dry run (use --commit to write)"
        counts = json.dumps(report.counts, ensure_ascii=False)
        self.stdout.write(f"{report.source} -> {report.dataset}: {mode}: {counts}")
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
        problems = [o for o in report.outcomes if o.errors]
        for outcome in problems[:SHOWN_ROWS]:
            self.stdout.write(
                f"  row {outcome.row} ({outcome.key}) {outcome.action}: {outcome.errors}"
            )
        if len(problems) > SHOWN_ROWS:
            self.stdout.write(f"  ... and {len(problems) - SHOWN_ROWS} more (see --report)")
