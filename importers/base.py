"""The import pipeline: source -> parse -> locate -> validate -> load, with a per-row report.

A source turns a file into ``Record``s (or ``RowOutcome``s for rows it already judged).
``run_import`` streams them: address-only rows are geocoded (or kept as *needs geocoding*),
every record is validated, and valid ones are upserted in batches keyed by the source's own id.
Everything happens in **one transaction**: a dry run (the default) and a strict run with a
rejected row roll it back, so their report is exact and nothing is written; a batch that
cannot be read at all (encoding, missing columns) writes nothing either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pghistory
from django.db import transaction
from django.utils import timezone

from importers import pending
from importers.errors import ImporterError, RowError
from importers.geocoding import GeocoderChain, build_chain
from importers.load import BATCH_SIZE, Growth, begin, load
from importers.models import ImportRun
from importers.records import (
    CREATED,
    NEEDS_GEOCODING,
    REJECTED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    ImportReport,
    Record,
    RowOutcome,
)
from importers.validate import Bbox, validate

__all__ = [
    "CREATED",
    "NEEDS_GEOCODING",
    "REJECTED",
    "SKIPPED",
    "UNCHANGED",
    "UPDATED",
    "ImportReport",
    "Record",
    "RowOutcome",
    "Source",
    "file_sha256",
    "run_import",
]

MAX_REPORTED_REJECTIONS = 1000


class Source:
    """Base for a data source. Subclasses set ``name`` and implement ``records``.

    Foreign reference data (Washington DC, Redmond, Helsinki...) lies outside the Korean service
    area: such a source sets ``check_service_area = False`` **and** says why in
    ``outside_service_area_reason``; the reason is written into every report of the source.
    """

    name: ClassVar[str]
    description: ClassVar[str] = ""
    dataset: ClassVar[str] = ""  # where records are stored; defaults to ``name``
    check_service_area: ClassVar[bool] = True
    outside_service_area_reason: ClassVar[str] = ""
    expected_bbox: ClassVar[Bbox | None] = None  # rows outside are flagged, not rejected

    def __init__(self) -> None:
        self.run_notes: list[str] = []  # what reading the file noticed (renamed columns...)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.check_service_area and not cls.outside_service_area_reason:
            msg = f"{cls.__name__} skips the service-area check without saying why."
            raise TypeError(msg)

    @property
    def dataset_name(self) -> str:
        return self.dataset or self.name

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        """Yield a ``Record`` per good row or a ``RowOutcome`` per row judged already."""
        raise NotImplementedError

    def finish(self) -> None:
        """Called inside the import transaction after the last batch (side tables)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Rollback(Exception):
    pass


def _dedupe(items: Iterable[Record | RowOutcome], dataset: str) -> Iterator[Record | RowOutcome]:
    seen: dict[tuple[str, str, str], int] = {}
    for item in items:
        if isinstance(item, Record):
            ident = (item.label, item.dataset or dataset, item.key)
            if ident in seen:
                yield RowOutcome(
                    item.row,
                    item.key,
                    REJECTED,
                    {"key": [f"Duplicate of row {seen[ident]} (same source id)."]},
                    ["duplicate"],
                )
                continue
            seen[ident] = item.row
        yield item


class _Run:
    """One pass over a source's items inside the import transaction."""

    def __init__(
        self, source: Source, report: ImportReport, chain: GeocoderChain | None, check_area: bool
    ):
        self.source = source
        self.report = report
        self.chain = chain
        self.check_area = check_area
        self.batch: list[Record] = []
        self.needs_location: list[Record] = []
        self.located: list[tuple[Record, str, str]] = []
        self.deferred: list[Record] = []
        self.now = timezone.now()
        self.growth = Growth()

    def take(self, item: Record | RowOutcome) -> None:
        if isinstance(item, RowOutcome):
            self.report.outcomes.append(item)
        elif item.geom is None and item.addresses:
            # located at the end, when every located row of the file can lend its address
            self.deferred.append(item)
        else:
            self._check(item)

    def _check(self, record: Record) -> None:
        try:
            validate(record, check_area=self.check_area, expected_bbox=self.source.expected_bbox)
        except RowError as e:
            self.report.outcomes.append(
                RowOutcome(record.row, record.key, REJECTED, e.fields, record.flags)
            )
            return
        self.batch.append(record)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def locate_deferred(self) -> None:
        """Geocode the address-only rows; the rest wait as *needs geocoding*.

        Repeated until nothing new is found: a row placed by address lends that address to the
        others, so the result does not depend on row order (and a re-import changes nothing).
        """
        self.flush()
        dataset = self.source.dataset_name
        remaining = self.deferred
        while remaining and self.chain is not None:
            found = self.chain.locate_many(remaining, dataset)
            for index, (geom, provider) in sorted(found.items()):
                record = remaining[index]
                record.geom = geom
                record.flags.append(f"geocoded:{provider}")
                self.located.append((record, record.dataset or dataset, provider))
                self._check(record)
                self.chain.learn(record)  # lends its address to the rows still unplaced
            remaining = [r for i, r in enumerate(remaining) if i not in found]
            if not found:
                break
        tried = "no geocoder" if self.chain is None else "the configured geocoders"
        message = f"No coordinates; the address was not found by {tried}."
        for record in remaining:
            self.report.outcomes.append(
                RowOutcome(
                    record.row, record.key, NEEDS_GEOCODING, {"geom": [message]}, record.flags
                )
            )
            self.needs_location.append(record)
        self.deferred = []
        self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        actions = load(self.batch, self.source.dataset_name, self.now, self.growth)
        for record in self.batch:
            action = actions[(record.label, record.dataset or self.source.dataset_name, record.key)]
            self.report.outcomes.append(
                RowOutcome(record.row, record.key, action, flags=record.flags)
            )
        self.batch = []


def run_import(
    source: Source,
    path: Path,
    *,
    commit: bool = False,
    strict: bool = False,
    user: Any = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    geocode: bool = True,
    geocoder: GeocoderChain | None = None,
    outside_service_area: str = "",
) -> ImportReport:
    """Read, locate, validate and (with ``commit``) load ``path``; return the per-row report.

    ``outside_service_area`` (a reason) turns the service-area check off for this run only.
    """
    if not path.is_file():
        raise ImporterError(f"No such file: {path}", fields={"path": ["File not found."]})
    report = ImportReport(source.name, str(path), file_sha256(path), source.dataset_name)
    return execute(
        source,
        lambda: source.records(path),
        report,
        commit=commit,
        strict=strict,
        user=user,
        progress=progress,
        geocoder=geocoder if geocoder is not None else (build_chain() if geocode else None),
        outside_service_area=outside_service_area,
    )


def execute(
    source: Source,
    items: Callable[[], Iterable[Record | RowOutcome]],
    report: ImportReport,
    *,
    commit: bool,
    strict: bool = False,
    user: Any = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    geocoder: GeocoderChain | None = None,
    outside_service_area: str = "",
) -> ImportReport:
    """Run ``items`` through locate -> validate -> load in one transaction (see module doc)."""
    started = timezone.now()
    check_area = source.check_service_area and not outside_service_area
    reason = outside_service_area or source.outside_service_area_reason
    if not check_area:
        report.notes.append(f"service-area check skipped: {reason}")
    run = _Run(source, report, geocoder, check_area)
    try:
        with (
            transaction.atomic(),
            pghistory.context(importer=source.name, file=Path(report.path).name),
        ):
            begin(source.dataset_name)
            stream: Iterable[Any] = _dedupe(items(), source.dataset_name)
            for item in progress(stream) if progress is not None else stream:
                run.take(item)
            run.locate_deferred()
            source.finish()
            if strict and report.rejected:
                report.message = (
                    f"{len(report.rejected)} rows rejected; strict mode writes nothing."
                )
                raise _Rollback
            if not commit:
                raise _Rollback
            pending.remember(source.name, source.dataset_name, run.needs_location, report.path)
            pending.mark_resolved(run.located)
            report.committed = True
    except _Rollback:
        pass
    except ImporterError as e:
        report.message = e.message
        _save_run(report, started, user)
        raise
    finally:
        later = [*source.run_notes, *(geocoder.notes if geocoder is not None else [])]
        report.notes.extend(n for n in later if n not in report.notes)
    report.outcomes.sort(key=lambda o: o.row)
    _save_run(report, started, user)
    return report


def _save_run(report: ImportReport, started: Any, user: Any) -> None:
    report.run_id = ImportRun.objects.create(
        source=report.source,
        dataset=report.dataset,
        path=report.path[:500],
        sha256=report.sha256,
        committed=report.committed,
        status=ImportRun.Status.FAILED if report.message else ImportRun.Status.OK,
        counts=report.counts,
        rejected=[o.as_dict() for o in report.rejected[:MAX_REPORTED_REJECTIONS]],
        notes=report.notes,
        message=report.message,
        started_at=started,
        finished_at=timezone.now(),
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
    ).pk
