"""manage.py geocode_pending [--dataset D] [--geocoders local,kakao,vworld] [--commit]."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from importers.base import execute
from importers.geocoding import build_chain
from importers.records import ImportReport
from importers.sources.pending_queue import PendingQueue


class Command(BaseCommand):
    help = (
        "Retry rows kept as needing geocoding (e.g. once a Kakao or VWorld key is configured). "
        "Located rows are validated and loaded like any import; a dry run unless --commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", default="", help="only this dataset's rows")
        parser.add_argument("--geocoders", help="comma-separated, default: settings")
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        source = PendingQueue(options["dataset"])
        names = options["geocoders"].split(",") if options["geocoders"] else None
        report = ImportReport(source.name, "pending-geocodes", "", source.dataset_name)
        execute(
            source,
            source.records,
            report,
            commit=options["commit"],
            geocoder=build_chain(names),
        )
        mode = "committed" if report.committed else "dry run (use --commit to write)"
        self.stdout.write(f"{mode}: {json.dumps(report.counts, ensure_ascii=False)}")
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
