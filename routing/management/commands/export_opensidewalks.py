"""``manage.py export_opensidewalks AREA OUTDIR``: the active graph as OpenSidewalks 0.2 GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from importers.opensidewalks.export import export_osw, validate_osw
from routing.graph.store import GraphNotBuilt, get_graph


class Command(BaseCommand):
    help = "Export a built graph as OpenSidewalks 0.2 edges and nodes GeoJSON, validated."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="graph (area) name")
        parser.add_argument("out", type=Path, help="output directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            graph = get_graph(options["name"])
        except GraphNotBuilt as e:
            raise CommandError(str(e)) from e
        paths = export_osw(graph, options["out"], name=options["name"])
        for part, path in paths.items():
            errors = validate_osw(json.loads(path.read_text(encoding="utf-8")))
            if errors:
                raise CommandError(f"{path} does not validate: {errors[0]}")
            self.stdout.write(f"{part}: {path} (valid OpenSidewalks 0.2)")
