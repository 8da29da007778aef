"""modugil's own flat record shape, shared by the GeoJSON, CSV and GeoPackage exports and by
the sources that re-import them. Importing an export gives back the same data.

Each row has ``kind`` (the layer), ``id``, ``source_dataset``/``source_ref`` (the key a
re-import upserts on; a contribution made here gets ``modugil``/``<kind>/<id>``), every data
and provenance field, children as JSON (a place's entrances) and an ``attribution``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from importers.exports.attribution import attribution_for
from importers.exports.selection import LAYERS, Layer

OWN_DATASET = "modugil"
# Written on export for reference, never read back: they belong to the receiving database.
READ_ONLY = (
    "id",
    "version",
    "created_at",
    "updated_at",
    "resurvey_due_at",
    "agree_count",
    "disagree_count",
    "unsure_count",
)
NEVER = ("geom", "observer", "client_id", "deleted_at", "place", "source_dataset", "source_ref")
CHILD_NEVER = ("id", "place")


def data_fields(model: type[models.Model]) -> list[models.Field]:
    """Fields a re-import restores (values and provenance)."""
    return [
        f for f in model._meta.concrete_fields if f.name not in NEVER and f.name not in READ_ONLY
    ]


def columns(layer: Layer) -> list[str]:
    """Flat property names, in export order."""
    names = ["kind", "id", "source_dataset", "source_ref"]
    names += [f.name for f in data_fields(layer.model)]
    names += [n for n in READ_ONLY if n != "id"]
    return [*names, *layer.children, "attribution"]


def _plain(value: Any) -> Any:
    """JSON-safe scalar: datetimes as ISO text, enums as their value."""
    if isinstance(value, models.Choices):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def child_rows(obj: models.Model, relation: str) -> list[dict[str, Any]]:
    rows = []
    for child in getattr(obj, relation).all():
        row: dict[str, Any] = {}
        for f in child._meta.concrete_fields:
            if f.name in CHILD_NEVER:
                continue
            value = getattr(child, f.attname)
            row[f.name] = (
                [value.x, value.y] if f.name == "geom" and value is not None else _plain(value)
            )
        rows.append(row)
    return rows


def identity(layer_name: str, obj: Any) -> tuple[str, str]:
    """The (dataset, key) a re-import upserts on; contributions made here get one on export."""
    if obj.source_ref:
        return obj.source_dataset, obj.source_ref
    return OWN_DATASET, f"{layer_name}/{obj.pk}"


def properties(layer: Layer, obj: Any) -> dict[str, Any]:
    """The flat record of one object (geometry separate)."""
    dataset, ref = identity(layer.name, obj)
    props: dict[str, Any] = {
        "kind": layer.name,
        "id": obj.pk,
        "source_dataset": dataset,
        "source_ref": ref,
    }
    for f in data_fields(layer.model):
        props[f.name] = _plain(getattr(obj, f.attname))
    for name in READ_ONLY[1:]:
        props[name] = _plain(getattr(obj, name))
    for relation in layer.children:
        props[relation] = child_rows(obj, relation)
    props["attribution"] = attribution_for(obj.source, obj.source_dataset, obj.osm_id)
    return props


def iter_objects(layer: Layer, queryset: models.QuerySet) -> Iterator[Any]:
    return queryset.iterator(chunk_size=2000)


def as_text(value: Any) -> str:
    """A property as a CSV/GeoPackage cell: JSON for lists and objects, '' for unknown."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def layer_named(name: str) -> Layer:
    return LAYERS[name]
