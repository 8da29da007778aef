"""Write the shareable hotspot report (self-contained HTML) or the CSV / GeoPackage export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from modugil.errors import ModugilError
from violations import exports
from violations.hotspots import filters


class Command(BaseCommand):
    help = "Export violation hotspots: .html (folium report), .csv or .gpkg, chosen by extension."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path)
        parser.add_argument("--start")
        parser.add_argument("--end")
        parser.add_argument("--resolution", type=int, default=9)
        parser.add_argument("--title", default="장애인전용주차구역 위반 핫스팟")

    def handle(self, *args: Any, **opts: Any) -> None:
        params = {k: opts[k] for k in ("start", "end") if opts[k]}
        try:
            hex_filter = filters.from_params(params)
        except ModugilError as e:
            raise CommandError(e.message) from e
        out: Path = opts["output"]
        res = opts["resolution"]
        if out.suffix == ".html":
            out.write_text(exports.html_report(hex_filter, res, opts["title"]), encoding="utf-8")
        elif out.suffix == ".csv":
            out.write_text(exports.to_csv(hex_filter, res), encoding="utf-8-sig")
        elif out.suffix == ".gpkg":
            out.write_bytes(exports.to_geopackage(hex_filter, res))
        else:
            raise CommandError("Use an .html, .csv or .gpkg file name.")
        self.stdout.write(f"wrote {out}")
