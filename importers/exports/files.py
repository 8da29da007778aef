"""GeoJSON, CSV and GeoPackage exports in modugil's own record shape (see ``native``)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from importers.exports.attribution import notice
from importers.exports.native import as_text, columns, iter_objects, properties
from importers.exports.selection import LAYERS, Selection

GENERATOR = "modugil"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def geojson_chunks(selection: Selection) -> Iterator[str]:
    """A FeatureCollection, streamed feature by feature; the credits close the document
    because only then is it known which sources were exported."""
    yield (
        '{"type": "FeatureCollection", "generator": "modugil", '
        f'"generated_at": {_dumps(timezone.now())}, "features": [\n'
    )
    attributions: set[str] = set()
    first = True
    for name in selection.layers:
        layer = LAYERS[name]
        for obj in iter_objects(layer, selection.queryset(layer)):
            props = properties(layer, obj)
            attributions.add(props["attribution"])
            feature = {
                "type": "Feature",
                "geometry": json.loads(obj.geom.json),
                "properties": props,
            }
            yield ("" if first else ",\n") + _dumps(feature)
            first = False
    yield f'\n], "attribution": {_dumps(notice(attributions))}}}\n'


def csv_chunks(selection: Selection) -> Iterator[str]:
    """One layer as CSV (UTF-8 with BOM for Excel): geometry as WKT plus lon/lat of points."""
    if len(selection.layers) != 1:
        msg = "A CSV export holds one layer; choose it with layer=."
        from modugil.errors import InvalidInput

        raise InvalidInput(msg, fields={"layer": [msg]})
    layer = LAYERS[selection.layers[0]]
    names = columns(layer)
    header = ["lon", "lat", "wkt", *names]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    for obj in iter_objects(layer, selection.queryset(layer)):
        buffer.seek(0)
        buffer.truncate()
        props = properties(layer, obj)
        point = obj.geom if obj.geom.geom_type == "Point" else None
        writer.writerow(
            [
                "" if point is None else point.x,
                "" if point is None else point.y,
                obj.geom.wkt,
                *(as_text(props.get(n)) for n in names),
            ]
        )
        yield buffer.getvalue()


def write_geopackage(selection: Selection, path: Path) -> Path:
    """One table per layer plus an ``attribution`` table; typed columns where the model is."""
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    from shapely import wkb

    attributions: set[str] = set()
    path.unlink(missing_ok=True)
    for name in selection.layers:
        layer = LAYERS[name]
        rows, shapes = [], []
        for obj in iter_objects(layer, selection.queryset(layer)):
            props = properties(layer, obj)
            attributions.add(props["attribution"])
            rows.append({k: _gpkg_cell(v) for k, v in props.items()})
            shapes.append(wkb.loads(bytes(obj.geom.wkb)))
        if not rows:
            continue
        frame = gpd.GeoDataFrame(
            pd.DataFrame(rows, columns=columns(layer)), geometry=shapes, crs="EPSG:4326"
        )
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            geometry_type="Unknown",
            layer_metadata={"attribution": "; ".join(sorted({r["attribution"] for r in rows}))},
        )
    credits = pd.DataFrame(notice(attributions) or [{"attribution": "", "license": ""}])
    pyogrio.write_dataframe(credits, path, layer="attribution", driver="GPKG")
    return path


def _gpkg_cell(value: Any) -> Any:
    """Lists and objects as JSON text; booleans as text so that unknown stays distinct."""
    if isinstance(value, dict | list):
        return as_text(value)
    if isinstance(value, bool):
        return as_text(value)
    return value


def geopackage_bytes(selection: Selection) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_geopackage(selection, Path(tmp) / "modugil.gpkg")
        return path.read_bytes()
