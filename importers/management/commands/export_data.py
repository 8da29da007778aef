"""manage.py export_data <format> -o FILE [--layer ...] [--dataset ...] [--bbox ...]."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from importers.exports import FORMATS, LAYERS, Selection, export_to_file
from modugil.errors import ModugilError
from modugil.geo import parse_bbox


class Command(BaseCommand):
    help = (
        "Export places, features, parking and street scores as GeoJSON, CSV, GeoPackage or "
        "A11yJSON, or write back OSM changes as an osmChange file for JOSM. OSM-derived rows "
        "carry the ODbL attribution."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=sorted(FORMATS))
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument(
            "--layer",
            action="append",
            choices=sorted(LAYERS),
            help="repeatable; default all (CSV: one)",
        )
        parser.add_argument(
            "--dataset", action="append", default=[], help="only these source datasets (repeatable)"
        )
        parser.add_argument("--bbox", help="lon_min,lat_min,lon_max,lat_max")
        parser.add_argument("--updated-since", help="ISO date-time")
        parser.add_argument(
            "--include-rejected", action="store_true", help="also rows reviewed as incorrect"
        )
        parser.add_argument(
            "--include-unreviewed",
            action="store_true",
            help="osmchange: also changes no official has validated yet",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        layers = options["layer"] or (["places"] if options["format"] == "csv" else list(LAYERS))
        since = parse_datetime(options["updated_since"]) if options["updated_since"] else None
        try:
            selection = Selection(
                layers=layers,
                datasets=options["dataset"],
                bbox=parse_bbox(options["bbox"]) if options["bbox"] else None,
                include_rejected=options["include_rejected"],
                updated_since=since,
            )
            summary = export_to_file(
                options["format"],
                selection,
                options["output"],
                reviewed_only=not options["include_unreviewed"],
            )
        except ModugilError as e:
            raise CommandError(f"{e.message} {json.dumps(e.fields, ensure_ascii=False)}") from e
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1))
