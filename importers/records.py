"""What flows through an import: parsed records, per-row outcomes and the run's report."""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import models

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
SKIPPED = "skipped"  # outside the dataset's scope (e.g. a facility kind we do not model)
NEEDS_GEOCODING = "needs_geocoding"  # an address but no usable location yet: kept as pending
ACTIONS = (CREATED, UPDATED, UNCHANGED, REJECTED, SKIPPED, NEEDS_GEOCODING)


@dataclass(frozen=True, slots=True)
class LonLat:
    """A WGS84 point without a GEOS object. Public CSVs hold millions of points and each GEOS
    call costs tens of microseconds; the loader writes this one's EWKB directly."""

    x: float
    y: float
    srid: int = 4326
    geom_type: ClassVar[str] = "Point"

    @property
    def coords(self) -> tuple[float, float]:
        return (self.x, self.y)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.x, self.y)

    @property
    def hexewkb(self) -> bytes:
        """Little-endian EWKB: byte order, type Point with the SRID flag, SRID, x, y."""
        return (
            struct.pack("<BIIdd", 1, 0x20000001, self.srid, self.x, self.y).hex().upper().encode()
        )

    def to_geos(self) -> Point:
        return Point(self.x, self.y, srid=self.srid)


Geometry = GEOSGeometry | LonLat


@dataclass(slots=True)
class Record:
    """One row, parsed: the target model, its key in the source, field values and children.

    ``dataset`` overrides the source's dataset (re-imports of our own exports keep the original
    dataset); ``addresses`` are tried in order when ``geom`` is missing.
    """

    model: type[models.Model]
    key: str
    values: dict[str, Any]
    geom: Geometry | None
    row: int
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    dataset: str | None = None
    addresses: tuple[str, ...] = ()
    instance: models.Model | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label


@dataclass(slots=True)
class RowOutcome:
    row: int
    key: str | None
    action: str
    errors: dict[str, list[str]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "key": self.key,
            "action": self.action,
            "errors": self.errors,
            "flags": self.flags,
        }


@dataclass
class ImportReport:
    source: str
    path: str
    sha256: str
    dataset: str = ""
    committed: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list)
    message: str = ""
    notes: list[str] = field(default_factory=list)
    run_id: int | None = None  # the ImportRun that recorded this report

    @property
    def counts(self) -> dict[str, int]:
        """Rows per action (always the four main ones), then per flag (e.g. ``duplicate``)."""
        counts = Counter(o.action for o in self.outcomes)
        flagged = Counter(flag for o in self.outcomes for flag in o.flags)
        base = {k: counts.get(k, 0) for k in (CREATED, UPDATED, UNCHANGED, REJECTED)}
        rest = {k: n for k, n in counts.items() if k not in base}
        return {**base, **rest, **{f"flag:{k}": n for k, n in sorted(flagged.items())}}

    @property
    def rejected(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == REJECTED]

    def with_action(self, action: str) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == action]
