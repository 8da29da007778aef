"""Import enforcement records (불법주정차 단속 현황) from CSV: dry run by default, --commit writes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from modugil.errors import ModugilError
from violations.intake.enforcement_load import import_enforcement


class Command(BaseCommand):
    help = (
        "Import enforcement records: per-location counts (단속건수, 위도, 경도) or one row per case "
        "(단속일시 or 단속일자, 위도, 경도). Dry run unless --commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--commit", action="store_true", help="write (default: dry run)")
        parser.add_argument("--dataset", help="dataset name (default: enforcement:<file stem>)")
        parser.add_argument("--replace", action="store_true", help="replace the dataset's rows")
        parser.add_argument("--strict", action="store_true", help="any rejected row fails all")
        parser.add_argument("--year", type=int, help="year of a per-location file")
        parser.add_argument("--until", help="last day a per-location file covers (YYYY-MM-DD)")
        parser.add_argument("--progress", action="store_true", help="show a progress bar")

    def handle(self, *args: Any, **opts: Any) -> None:
        until = None
        if opts["until"]:
            try:
                day = datetime.strptime(opts["until"], "%Y-%m-%d")  # noqa: DTZ007
            except ValueError as e:
                raise CommandError("--until must be YYYY-MM-DD") from e
            until = day.replace(hour=23, minute=59, second=59, tzinfo=ZoneInfo(settings.TIME_ZONE))
        try:
            report = import_enforcement(
                opts["path"],
                dataset=opts["dataset"],
                commit=opts["commit"],
                replace=opts["replace"],
                strict=opts["strict"],
                year=opts["year"],
                until=until,
                progress=(lambda it: tqdm(it, unit=" rows")) if opts["progress"] else None,
            )
        except ModugilError as e:
            raise CommandError(e.message) from e
        mode = "committed" if report.committed else "dry run (use --commit to write)"
        if report.counts.get("unchanged"):
            mode = "already imported: nothing written"
        self.stdout.write(f"{report.dataset} [{report.layout}] {mode}")
        for name, value in sorted(report.counts.items()):
            self.stdout.write(f"  {name}: {value}")
        for flagged in report.flagged[:20]:
            self.stdout.write(
                f"  flagged line {flagged.line}: {flagged.reason} ({flagged.cases} cases) {flagged.place}"
            )
        for rejected in report.rejected[:20]:
            self.stdout.write(f"  rejected line {rejected.line}: {rejected.errors}")
        if report.message:
            self.stdout.write(report.message)
