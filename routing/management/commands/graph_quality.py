"""``manage.py graph_quality AREA [--bbox lon,lat,lon,lat] [--out FILE]``: data-quality JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from modugil.errors import InvalidInput
from modugil.geo import parse_bbox
from routing.graph.quality import quality_report
from routing.graph.store import GraphNotBuilt, get_graph
from routing.models import GraphBuild


class Command(BaseCommand):
    help = "Data-quality report of a built graph, or of one area inside it, as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="graph (area) name given to build_graph")
        parser.add_argument("--bbox", help="lon_min,lat_min,lon_max,lat_max")
        parser.add_argument("--out", type=Path, help="write the JSON here instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            graph = get_graph(options["name"])
            bbox = parse_bbox(options["bbox"]) if options["bbox"] else None
        except (GraphNotBuilt, InvalidInput) as e:
            raise CommandError(str(e)) from e
        build = GraphBuild.objects.filter(name=options["name"], is_active=True).first()
        report = quality_report(graph, bbox=bbox, build_pk=build.pk if build else None)
        text = json.dumps(report, ensure_ascii=False, indent=1)
        if options["out"]:
            options["out"].write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {options['out']}")
        else:
            self.stdout.write(text)
