"""Exports: GeoJSON, CSV, GeoPackage, A11yJSON and OSM write-back (osmChange), one registry
for the ``export_data`` command and the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importers.exports.a11yjson import a11yjson_document, a11yjson_errors
from importers.exports.files import csv_chunks, geojson_chunks, geopackage_bytes, write_geopackage
from importers.exports.osmchange import build_osmchange, candidates
from importers.exports.selection import LAYERS, Selection
from modugil.errors import Unprocessable

__all__ = ["FORMATS", "LAYERS", "ExportFormat", "Selection", "export_chunks", "export_to_file"]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    description: str
    official_only: bool = False


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "geojson",
            "application/geo+json",
            "geojson",
            "All layers, modugil record shape; re-importable.",
        ),
        ExportFormat(
            "csv",
            "text/csv",
            "csv",
            "One layer (layer=), WKT geometry, UTF-8 with BOM; re-importable.",
        ),
        ExportFormat(
            "gpkg",
            "application/geopackage+sqlite3",
            "gpkg",
            "One table per layer plus attribution; re-importable.",
        ),
        ExportFormat(
            "a11yjson",
            "application/json",
            "json",
            "Places and parking as A11yJSON PlaceInfo (validated).",
        ),
        ExportFormat(
            "osmchange",
            "application/xml",
            "osc",
            "OSM write-back for JOSM: only changed tags, against the version seen (officials).",
            official_only=True,
        ),
    )
}


class InvalidExport(Unprocessable):
    code = "invalid_export"


def _a11yjson_text(selection: Selection) -> str:
    document = a11yjson_document(selection)
    errors = a11yjson_errors(document)
    if errors:  # a bug in the exporter, never the user's fault: refuse to hand out bad data
        raise InvalidExport("The A11yJSON export does not validate.", fields={"a11yjson": errors})
    return json.dumps(document, ensure_ascii=False, indent=1)


def export_chunks(fmt: str, selection: Selection, **options: Any) -> Iterator[str | bytes]:
    """The export as a stream of text (or bytes for GeoPackage)."""
    if fmt == "geojson":
        yield from geojson_chunks(selection)
    elif fmt == "csv":
        yield from csv_chunks(selection)
    elif fmt == "gpkg":
        yield geopackage_bytes(selection)
    elif fmt == "a11yjson":
        yield _a11yjson_text(selection)
    elif fmt == "osmchange":
        reviewed_only = options.get("reviewed_only", True)
        yield build_osmchange(candidates(reviewed_only, selection.datasets)).xml
    else:
        raise KeyError(fmt)


def export_to_file(fmt: str, selection: Selection, path: Path, **options: Any) -> dict[str, Any]:
    """Write the export to ``path``; return a short summary for the command line."""
    if fmt == "gpkg":
        write_geopackage(selection, path)
        return {"format": fmt, "path": str(path)}
    if fmt == "osmchange":
        change = build_osmchange(candidates(options.get("reviewed_only", True), selection.datasets))
        path.write_text(change.xml, encoding="utf-8")
        return {
            "format": fmt,
            "path": str(path),
            "modified": change.modified,
            "skipped": change.skipped,
        }
    with path.open("w", encoding="utf-8", newline="") as out:
        for chunk in export_chunks(fmt, selection, **options):
            out.write(chunk if isinstance(chunk, str) else chunk.decode())
    return {"format": fmt, "path": str(path)}
