"""Re-import of modugil's own GeoJSON, CSV and GeoPackage exports (same data back).

Rows keep their original ``source_dataset``/``source_ref``, so re-importing an export into the
database it came from finds every row unchanged, and into an empty database recreates them.
A contribution made in this database (exported as ``modugil``/``<kind>/<id>``) is recognised by
its id and creation time and left alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.db import models
from django.utils.dateparse import parse_datetime

from importers.base import REJECTED, UNCHANGED, Record, RowOutcome, Source
from importers.errors import ImporterError, RowError, row_error
from importers.exports.native import OWN_DATASET, data_fields
from importers.exports.selection import LAYERS
from importers.geojson import features
from importers.readers import open_csv


def _boolean(value: Any, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "none", "null"):
        return None
    if text in ("true", "1", "t", "yes"):
        return True
    if text in ("false", "0", "f", "no"):
        return False
    raise row_error(name, f"Expected true/false, got {value!r}.")


def _value(field: models.Field, raw: Any, from_text: bool) -> Any:
    if isinstance(field, models.BooleanField):
        return _boolean(raw, field.name)
    if from_text and isinstance(raw, str) and raw == "":
        return (
            None
            if field.null
            else ("" if isinstance(field, models.CharField | models.TextField) else None)
        )
    if isinstance(field, models.JSONField):
        return json.loads(raw) if isinstance(raw, str) and from_text else raw
    try:
        return field.to_python(raw)
    except Exception as e:
        raise row_error(field.name, f"Cannot read {raw!r}: {e}") from e


def _children(raw: Any, from_text: bool) -> list[dict[str, Any]]:
    rows = json.loads(raw) if from_text and isinstance(raw, str) else raw
    result = []
    for row in rows or []:
        row = dict(row)
        if row.get("geom") is not None:
            row["geom"] = Point(row["geom"][0], row["geom"][1], srid=4326)
        result.append(row)
    return result


def native_record(
    props: dict[str, Any], geom: GEOSGeometry | None, row: int, *, from_text: bool
) -> Record | RowOutcome:
    """One exported row back as a record (or ``unchanged`` for this database's own rows)."""
    kind = props.get("kind")
    dataset, key = str(props.get("source_dataset") or ""), str(props.get("source_ref") or "")
    if kind not in LAYERS:
        return RowOutcome(row, key, REJECTED, {"kind": [f"Unknown kind {kind!r}."]})
    layer = LAYERS[kind]
    try:
        if not dataset or not key:
            raise row_error("source_ref", "Missing source_dataset/source_ref.")
        if dataset == OWN_DATASET and _is_own(layer.model, props):
            return RowOutcome(row, key, UNCHANGED, flags=["own_record"])
        values = {
            f.name: _value(f, props[f.name], from_text)
            for f in data_fields(layer.model)
            if f.name in props
        }
        children = {r: _children(props.get(r), from_text) for r in layer.children if r in props}
    except (RowError, ValueError) as e:
        errors = e.fields if isinstance(e, RowError) else {"row": [str(e)]}
        return RowOutcome(row, key, REJECTED, errors)
    return Record(layer.model, key, values, geom, row, children, dataset=dataset)


def _is_own(model: type[models.Model], props: dict[str, Any]) -> bool:
    created = props.get("created_at")
    created_at = parse_datetime(created) if isinstance(created, str) else created
    return bool(
        props.get("id")
        and created_at
        and model.all_objects.filter(pk=props["id"], created_at=created_at).exists()  # type: ignore[attr-defined]
    )


class _NativeSource(Source):
    # Exports of reference data from abroad re-import with --outside-service-area: never silently.
    dataset = OWN_DATASET


class ModugilGeoJson(_NativeSource):
    name = "modugil_geojson"
    description = "modugil GeoJSON export (any layer)"

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        for feature in features(path):
            if feature.error:
                key = feature.properties.get("source_ref")
                yield RowOutcome(feature.index, key, REJECTED, {"geom": [feature.error]})
            else:
                yield native_record(
                    feature.properties, feature.geom, feature.index, from_text=False
                )


class ModugilCsv(_NativeSource):
    name = "modugil_csv"
    description = "modugil CSV export (one layer per file; geometry as WKT)"

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        csv_file = open_csv(path, ["kind", "source_dataset", "source_ref", "wkt"])
        for line, row in csv_file.rows():
            try:
                geom = GEOSGeometry(row["wkt"], srid=4326) if row["wkt"] else None
            except (GEOSException, ValueError) as e:
                yield RowOutcome(
                    line, row["source_ref"], REJECTED, {"wkt": [f"Unreadable WKT: {e}"]}
                )
                continue
            yield native_record(row, geom, line, from_text=True)


class ModugilGeoPackage(_NativeSource):
    name = "modugil_gpkg"
    description = "modugil GeoPackage export (one table per layer)"

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        import pyogrio

        try:
            layers = [name for name, _ in pyogrio.list_layers(path) if name in LAYERS]
        except Exception as e:
            raise ImporterError(f"Not a GeoPackage: {e}", fields={"file": [str(e)]}) from e
        row = 0
        for name in layers:
            frame = pyogrio.read_dataframe(path, layer=name)
            for record in frame.to_dict("records"):
                row += 1
                shape = record.pop("geometry", None)
                geom = GEOSGeometry(shape.wkb_hex, srid=4326) if shape is not None else None
                props = {k: _cell(v) for k, v in record.items()}
                yield native_record(props, geom, row, from_text=True)


def _cell(value: Any) -> Any:
    """pandas cells back to text: missing -> '', numbers and booleans as written."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # integer columns with gaps come back as floats
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)
