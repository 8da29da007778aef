"""Rows waiting for a location, fed back through the pipeline once a geocoder or an official
knows where they are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from importers import pending
from importers.base import Record, RowOutcome, Source


class PendingQueue(Source):
    """Every pending row (of one dataset, or all): ``geocode_pending`` runs this source."""

    name = "pending_geocodes"
    description = "Rows kept as needing geocoding, retried with the configured geocoders"

    def __init__(self, dataset: str = "") -> None:
        super().__init__()
        self.only = dataset

    @property
    def dataset_name(self) -> str:
        return self.only or self.name

    def records(self, path: Path | None = None) -> Iterator[Record | RowOutcome]:
        yield from pending.pending_records(self.only or None)


class ManualLocation(Source):
    """One pending row placed by an official (``geom`` already set on the record)."""

    name = "manual_location"
    description = "A pending row placed by hand"

    def __init__(self, dataset: str) -> None:
        super().__init__()
        self.only = dataset

    @property
    def dataset_name(self) -> str:
        return self.only
