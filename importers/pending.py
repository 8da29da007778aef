"""Rows waiting for a location: stored on commit, resolved by a geocoder or an official."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.apps import apps
from django.contrib.gis.geos import GEOSGeometry

from importers.models import PendingGeocode
from importers.records import Record


def remember(source: str, default_dataset: str, records: Iterable[Record], path: str) -> int:
    """Upsert one pending row per record (keyed like the record itself); return how many."""
    count = 0
    for record in records:
        PendingGeocode.objects.update_or_create(
            dataset=record.dataset or default_dataset,
            model=record.label,
            key=record.key,
            defaults={
                "source": source,
                "row": record.row,
                "addresses": list(record.addresses),
                "values": record.values,
                "children": record.children,
                "status": PendingGeocode.Status.PENDING,
                "path": path[:500],
            },
        )
        count += 1
    return count


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
