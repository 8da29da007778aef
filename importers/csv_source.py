"""Declarative CSV sources: a subclass names its columns and maps one row to model values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from django.contrib.gis.geos import Point

from importers.base import REJECTED, Record, RowOutcome, Source
from importers.errors import RowError
from importers.readers import parse_lon_lat, read_csv
from mapping.models import Observation
from mapping.models import Source as DataSource

SKIPPED = "skipped"


class CsvSource(Source):
    """Subclasses set the class attributes and implement ``values`` (and maybe ``model_for``)."""

    model: ClassVar[type[Observation]]
    required_columns: ClassVar[tuple[str, ...]]
    key_columns: ClassVar[tuple[str, ...]]
    lon_column: ClassVar[str]
    lat_column: ClassVar[str]
    data_source: ClassVar[str] = DataSource.PUBLIC_DATA
    encoding: ClassVar[str | None] = None  # None: detect (utf-8-sig, cp949, ...)

    def include(self, row: dict[str, str]) -> bool:
        """Rows outside the dataset's scope are counted as skipped, not rejected."""
        return True

    def model_for(self, row: dict[str, str]) -> type[Observation]:
        return self.model

    def values(self, row: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def children(self, row: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        return {}

    def flags(self, line: int, row: dict[str, str]) -> list[str]:
        return []

    def key(self, row: dict[str, str]) -> str:
        return "|".join(row[c] for c in self.key_columns)

    def location(self, row: dict[str, str]) -> Point | None:
        lon_lat = parse_lon_lat(
            row[self.lon_column], row[self.lat_column], self.lon_column, self.lat_column
        )
        return None if lon_lat is None else Point(*lon_lat, srid=4326)

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        for line, row in read_csv(path, self.required_columns, self.encoding):
            key = self.key(row)
            if not self.include(row):
                yield RowOutcome(line, key, SKIPPED)
                continue
            try:
                values = {"source": self.data_source, **self.values(row)}
                yield Record(
                    self.model_for(row),
                    key,
                    values,
                    self.location(row),
                    line,
                    self.children(row),
                    self.flags(line, row),
                )
            except RowError as e:
                yield RowOutcome(line, key, REJECTED, e.fields)
