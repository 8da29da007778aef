"""``manage.py build_graph FILE [--dem DEM] [--name AREA] [--commit]``: build the pedestrian graph.

Without ``--commit`` the graph is built and summarised but nothing is written (dry run).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from importers.errors import ImporterError
from routing.graph.build import build_graph
from routing.graph.graph import PedestrianGraph
from routing.graph.publish import area_name, publish_graph
from routing.graph.quality import quality_report

STAGES = ("read", "segments", "attributes", "elevation", "directed")


class Command(BaseCommand):
    help = "Build the pedestrian accessibility graph from an OSM file or OpenSidewalks GeoJSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="OSM PBF/XML file or OpenSidewalks directory")
        parser.add_argument("--dem", type=Path, help="DEM GeoTIFF in a projected CRS")
        parser.add_argument("--name", help="area name (default: from the file name)")
        parser.add_argument("--format", choices=("auto", "osm", "osw"), default="auto", dest="fmt")
        parser.add_argument(
            "--commit", action="store_true", help="write arrays and PostGIS tables and activate"
        )
        parser.add_argument("--json", action="store_true", help="print the QA report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        dem: Path | None = options["dem"]
        for path in (source, dem):
            if path is not None and not path.exists():
                raise CommandError(f"{path} does not exist.")
        name = options["name"] or area_name(source)
        console = Console(file=cast(IO[str], self.stdout), soft_wrap=True)
        started = time.perf_counter()
        graph = self._build(console, source, dem, options["fmt"], name)
        if options["commit"]:
            build = publish_graph(graph, name=name)
            report = build.quality
            note = f"[green]stored[/] as {name} ({build.build_id}), active"
        else:
            report = quality_report(graph)
            note = "[yellow]dry run[/]: nothing written (add --commit)"
        self._summary(console, graph, report, time.perf_counter() - started)
        console.print(note)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))

    def _build(
        self, console: Console, source: Path, dem: Path | None, fmt: str, name: str
    ) -> PedestrianGraph:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("reading", total=len(STAGES))

            def step(stage: str) -> None:
                progress.update(task, description=stage, advance=1)

            try:
                return build_graph(source, dem=dem, fmt=fmt, name=name, progress=step)
            except (ImporterError, ValueError) as e:
                raise CommandError(str(e)) from e

    def _summary(
        self, console: Console, graph: PedestrianGraph, report: dict[str, Any], seconds: float
    ) -> None:
        console.print(
            f"{graph.node_count:,} nodes, {graph.segment_count:,} segments, "
            f"{graph.edge_count:,} directed edges in {seconds:.1f} s"
        )
        kinds = Table("kind", "segments", title="Edges by type")
        for kind, count in sorted(report["by_kind"].items(), key=lambda kv: -kv[1]):
            kinds.add_row(kind, f"{count:,}")
        console.print(kinds)
        known = Table("attribute", "known", "unknown", "share known", title="Unknown stays unknown")
        for attribute, row in report["attributes_known"].items():
            share = "-" if row["share"] is None else f"{row['share']:.1%}"
            known.add_row(attribute, f"{row['known']:,}", f"{row['unknown']:,}", share)
        crossings = report["crossings"]
        known.add_row(
            "kerb at crossings",
            f"{crossings['crossing_ways'] - crossings['without_kerb_info']:,}",
            f"{crossings['without_kerb_info']:,}",
            "-"
            if crossings["share_without_kerb_info"] is None
            else f"{1 - crossings['share_without_kerb_info']:.1%}",
        )
        console.print(known)
        components = report["components"]
        console.print(
            f"components: {components['count']} (largest holds "
            f"{components['largest_share_of_nodes']:.1%} of nodes)"
        )
        build = {
            k: v
            for k, v in graph.report.items()
            if "missing" in k or "clipped" in k or "excluded" in k
        }
        if build:
            console.print(
                "repairs and exclusions: " + ", ".join(f"{k}={v}" for k, v in sorted(build.items()))
            )
        grades = report["grades"]
        if grades.get("note"):
            console.print(f"[yellow]grades[/]: {grades['note']}")
