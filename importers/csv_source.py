"""Declarative CSV sources: a subclass names its key, location and field mapping.

    class CheonanDisabledParking(CsvSource):
        name = "cheonan_parking"
        model = DisabledParkingSpot
        key_columns = ("주차장명", "주소")
        lon_column, lat_column = "경도", "위도"
        fields = {"lot_name": text("주차장명"), "disabled_spaces": integer("장애인전용"), ...}

Rows without coordinates but with an address (``address_columns``) go to the geocoders and,
failing those, are kept as *needs geocoding*. Sources whose rows can differ in kind override
``model_for``/``include``; the rare row that needs code overrides ``values``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from django.db import models

from importers.base import REJECTED, SKIPPED, Record, RowOutcome, Source
from importers.errors import RowError, row_error
from importers.fields import Spec, columns_of
from importers.readers import CsvFile, open_csv, parse_lon_lat
from importers.records import LonLat
from mapping.models import Source as DataSource

__all__ = ["SKIPPED", "CsvSource"]


class CsvSource(Source):
    model: ClassVar[type[models.Model]]
    fields: ClassVar[dict[str, Spec]] = {}
    key_columns: ClassVar[tuple[str, ...]]
    lon_column: ClassVar[str] = ""
    lat_column: ClassVar[str] = ""
    address_columns: ClassVar[tuple[str, ...]] = ()
    # Extra columns read by hand-written ``values``/``include`` (checked before the first row).
    required_columns: ClassVar[tuple[str, ...]] = ()
    # Other names the key and coordinate columns carry in other releases of the dataset.
    column_aliases: ClassVar[dict[str, tuple[str, ...]]] = {}
    data_source: ClassVar[str] = DataSource.PUBLIC_DATA
    encoding: ClassVar[str | None] = None  # None: detect (utf-8-sig, cp949, ...)
    # Among rows sharing a key, keep the one with the latest value in this column (ISO dates).
    prefer_latest: ClassVar[str] = ""

    def include(self, row: dict[str, str]) -> bool:
        """Rows outside the dataset's scope are counted as skipped, not rejected."""
        return True

    def model_for(self, row: dict[str, str]) -> type[models.Model]:
        return self.model

    def values(self, row: dict[str, str]) -> dict[str, Any]:
        values = {name: spec(row) for name, spec in self.fields.items()}
        # An empty cell for a field with a default (observed_at) means "use the default".
        return {k: v for k, v in values.items() if v is not None or self._nullable(k)}

    def _nullable(self, name: str) -> bool:
        field = self.model._meta.get_field(name)
        return bool(field.null) or not field.has_default()

    def children(self, row: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        return {}

    def key(self, row: dict[str, str]) -> str:
        return "|".join(row[c] for c in self.key_columns)

    def location(self, row: dict[str, str]) -> LonLat | None:
        if not self.lon_column:
            return None
        lon_lat = parse_lon_lat(
            row[self.lon_column], row[self.lat_column], self.lon_column, self.lat_column
        )
        return None if lon_lat is None else LonLat(*lon_lat)

    def addresses(self, row: dict[str, str]) -> tuple[str, ...]:
        return tuple(row[c] for c in self.address_columns if row.get(c))

    def open(self, path: Path) -> CsvFile:
        required, optional, aliases = columns_of(self.fields)
        required |= {*self.key_columns, *self.required_columns, *self.address_columns}
        required |= {c for c in (self.lon_column, self.lat_column) if c}
        aliases.update(self.column_aliases)
        return open_csv(
            path, sorted(required), self.encoding, optional=sorted(optional), aliases=aliases
        )

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        csv_file = self.open(path)
        self.run_notes.extend(csv_file.notes)
        winners = self._latest_rows(csv_file) if self.prefer_latest else None
        for line, row in csv_file.rows():
            key = self.key(row)
            if winners is not None and winners[key][1] != line:
                yield self._superseded(line, key, winners[key][1])
            elif not self.include(row):
                yield RowOutcome(line, key, SKIPPED)
            else:
                yield self._record(line, key, row)

    def _record(self, line: int, key: str, row: dict[str, str]) -> Record | RowOutcome:
        try:
            if not key.strip("|"):
                raise row_error("key", f"Empty source id ({', '.join(self.key_columns)}).")
            geom, flags = self._location_or_address(row)
            return Record(
                self.model_for(row),
                key,
                {"source": self.data_source, **self.values(row)},
                geom,
                line,
                self.children(row),
                flags,
                addresses=self.addresses(row),
            )
        except RowError as e:
            return RowOutcome(line, key, REJECTED, e.fields)

    def _location_or_address(self, row: dict[str, str]) -> tuple[LonLat | None, list[str]]:
        """Half a coordinate pair is no location: with an address the row is geocoded instead."""
        if self.lon_column and bool(row[self.lon_column]) != bool(row[self.lat_column]):
            if self.addresses(row):
                return None, ["coordinates_incomplete"]
            raise row_error(
                f"{self.lon_column}/{self.lat_column}",
                f"Only one coordinate given ({row[self.lon_column]!r}, {row[self.lat_column]!r}).",
            )
        return self.location(row), []

    def _latest_rows(self, csv_file: CsvFile) -> dict[str, tuple[str, int]]:
        """key -> (latest value, line); the first row wins ties."""
        winners: dict[str, tuple[str, int]] = {}
        for line, values in csv_file.columns(*self.key_columns, self.prefer_latest):
            key = self.key(dict(zip(self.key_columns, values, strict=False)))
            stamp = values[-1]
            if key not in winners or stamp > winners[key][0]:
                winners[key] = (stamp, line)
        return winners

    def _superseded(self, line: int, key: str, winner: int) -> RowOutcome:
        message = f"Duplicate of row {winner} (same source id); row {winner} has the latest {self.prefer_latest}."
        return RowOutcome(line, key, REJECTED, {"key": [message]}, ["duplicate"])
