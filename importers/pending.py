"""Rows waiting for a location: stored on commit, resolved by a geocoder or an official."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.gis.geos import GEOSGeometry
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from importers.models import PendingGeocode
from importers.records import Record


def remember(source: str, default_dataset: str, records: Iterable[Record], path: str) -> int:
    """Keep one pending row per record (keyed like the record); only what changed is written."""
    wanted = {(r.dataset or default_dataset, r.label, r.key): r for r in records}
    if not wanted:
        return 0
    existing = {
        (p.dataset, p.model, p.key): p
        for p in PendingGeocode.objects.filter(
            dataset__in={d for d, _, _ in wanted}, key__in=[k for _, _, k in wanted]
        )
    }
    fresh, changed = [], []
    for (dataset, label, key), record in wanted.items():
        fields = {
            "source": source,
            "row": record.row,
            "addresses": list(record.addresses),
            "values": _json_safe(record.values),
            "children": _json_safe(record.children),
            "status": PendingGeocode.Status.PENDING,
            "path": path[:500],
        }
        row = existing.get((dataset, label, key))
        if row is None:
            fresh.append(PendingGeocode(dataset=dataset, model=label, key=key, **fields))
        elif any(
            getattr(row, k) != v for k, v in fields.items() if k not in ("row", "path", "source")
        ):
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = timezone.now()
            changed.append(row)
    PendingGeocode.objects.bulk_create(fresh, batch_size=1000)
    PendingGeocode.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=1000)
    return len(wanted)


def _json_safe(value: Any) -> Any:
    """What the JSON column will hold, so that comparing with a stored row is meaningful."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def mark_resolved(located: Iterable[tuple[Record, str, str]]) -> None:
    """``(record, dataset, provider)`` rows that now have a location leave the queue."""
    for record, dataset, provider in located:
        PendingGeocode.objects.filter(
            dataset=dataset,
            model=record.label,
            key=record.key,
            status=PendingGeocode.Status.PENDING,
        ).update(status=PendingGeocode.Status.RESOLVED, resolved_by=provider[:40])


def as_record(pending: PendingGeocode, geom: GEOSGeometry | None = None) -> Record:
    """The stored row as a record again (with ``geom`` when an official placed it by hand)."""
    return Record(
        model=apps.get_model(pending.model),
        key=pending.key,
        values=dict(pending.values),
        geom=geom,
        row=pending.row,
        children={k: [dict(r) for r in rows] for k, rows in pending.children.items()},
        dataset=pending.dataset,
        addresses=tuple(pending.addresses),
    )


def pending_records(dataset: str | None = None) -> Iterator[Record]:
    rows = PendingGeocode.objects.filter(status=PendingGeocode.Status.PENDING).order_by("pk")
    if dataset:
        rows = rows.filter(dataset=dataset)
    for pending in rows.iterator():
        yield as_record(pending)
