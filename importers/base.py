"""The import pipeline: source -> parse -> validate -> load, with a per-row report.

A source turns a file into ``Record``s (or ``RowError``s). ``run_import`` validates every record,
then, only with ``commit=True``, upserts them in one transaction keyed by the source's own id
(``source_dataset``, ``source_ref``). A dry run is the default. A batch that cannot be read at all
writes nothing; rows that fail validation are reported per row and skipped (``strict=True``
turns any rejected row into a failed batch).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pghistory
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from importers.errors import ImporterError, RowError
from importers.models import ImportRun
from mapping.models import Observation
from modugil.errors import InvalidInput
from modugil.geo import check_geometry

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
MAX_REPORTED_REJECTIONS = 1000
BATCH_SIZE = 2000


@dataclass
class Record:
    """One row, parsed: the target model, its key in the source, field values and children."""

    model: type[Observation]
    key: str
    values: dict[str, Any]
    geom: GEOSGeometry | None
    row: int
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


@dataclass
class RowOutcome:
    row: int
    key: str | None
    action: str
    errors: dict[str, list[str]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    source: str
    path: str
    sha256: str
    committed: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list)
    message: str = ""

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(o.action for o in self.outcomes)
        flagged = Counter(flag for o in self.outcomes for flag in o.flags)
        base = {k: counts.get(k, 0) for k in (CREATED, UPDATED, UNCHANGED, REJECTED)}
        return {**base, **{k: n for k, n in counts.items() if k not in base}, **flagged}

    @property
    def rejected(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == REJECTED]


class Source:
    """Base for a data source. Subclasses implement ``records`` and set ``name``."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    # Checked against settings.SERVICE_AREA; sources of foreign reference data turn it off.
    check_service_area: ClassVar[bool] = True

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        """Yield a ``Record`` per good row or a rejected ``RowOutcome`` per bad one."""
        raise NotImplementedError


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- validation ---------------------------------------------------------------------------------

_GEOMETRY_TYPES: dict[str, tuple[str, ...]] = {
    "place": ("Point",),
    "accessibilityfeature": ("Point", "LineString"),
    "disabledparkingspot": ("Point", "Polygon", "MultiPolygon"),
}


def validate(record: Record, source: Source) -> Record:
    """Model field validation and geometry checks; raises ``RowError`` naming the fields."""
    errors: dict[str, list[str]] = {}
    if record.geom is None:
        errors["geom"] = ["No location."]
    else:
        allowed = _GEOMETRY_TYPES[record.model._meta.model_name or ""]
        try:
            if source.check_service_area:
                record.geom = check_geometry(record.geom, allowed_types=allowed)
            elif not record.geom.valid:
                errors["geom"] = [f"Invalid geometry: {record.geom.valid_reason}"]
        except InvalidInput as e:
            errors.update(e.fields)
    instance = record.model(**record.values)
    try:
        instance.clean_fields(exclude=["geom", "observer", "confidence", "source", "place"])
    except ValidationError as e:
        for name, messages in e.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    for name, messages in instance.cross_field_errors().items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise RowError(errors)
    return record


# --- loading (upsert keyed by source_dataset + source_ref) ------------------------------------


def _differs(obj: models.Model, values: dict[str, Any], geom: GEOSGeometry | None) -> bool:
    for name, value in values.items():
        if getattr(obj, name) != value:
            return True
    current = getattr(obj, "geom", None)
    return geom is not None and (current is None or not current.equals_exact(geom, tolerance=1e-9))


def _children_differ(obj: models.Model, children: dict[str, list[dict[str, Any]]]) -> bool:
    for relation, rows in children.items():
        existing = (
            list(getattr(obj, relation).order_by("pk").values(*rows[0].keys())) if rows else []
        )
        if rows and existing != rows:
            return True
        if not rows and getattr(obj, relation).exists():
            return True
    return False


def _write_children(obj: models.Model, children: dict[str, list[dict[str, Any]]]) -> None:
    for relation, rows in children.items():
        manager = getattr(obj, relation)
        manager.all().delete()
        related_model = manager.model
        fk_name = manager.field.name
        related_model.objects.bulk_create([related_model(**{fk_name: obj}, **row) for row in rows])


def _load_batch(dataset: str, batch: list[Record], now: Any) -> dict[str, str]:
    """Upsert one model's records; return {key: action}."""
    model = batch[0].model
    existing = {
        obj.source_ref: obj
        for obj in model.all_objects.filter(  # type: ignore[attr-defined]
            source_dataset=dataset, source_ref__in=[r.key for r in batch]
        )
    }
    actions: dict[str, str] = {}
    to_create: list[tuple[Observation, Record]] = []
    to_update: list[Observation] = []
    update_fields: set[str] = set()
    for record in batch:
        obj = existing.get(record.key)
        if obj is None:
            obj = model(  # type: ignore[misc]
                **record.values, geom=record.geom, source_dataset=dataset, source_ref=record.key
            )
            obj.prepare_for_save()
            to_create.append((obj, record))
            actions[record.key] = CREATED
        elif obj.deleted_at is not None:
            actions[record.key] = (
                UNCHANGED  # deleted locally on purpose: an import never resurrects it
            )
        elif _differs(obj, record.values, record.geom) or _children_differ(obj, record.children):
            for name, value in record.values.items():
                setattr(obj, name, value)
            obj.geom = record.geom  # type: ignore[attr-defined, misc]
            obj.version += 1
            obj.updated_at = now
            obj.prepare_for_save()
            update_fields.update(
                record.values, {"geom", "version", "updated_at", "resurvey_due_at"}
            )
            to_update.append(obj)
            if record.children:
                _write_children(obj, record.children)
            actions[record.key] = UPDATED
        else:
            actions[record.key] = UNCHANGED
    created = model.objects.bulk_create([obj for obj, _ in to_create], batch_size=BATCH_SIZE)
    for obj, record in zip(created, (r for _, r in to_create), strict=True):
        if record.children:
            _write_children(obj, record.children)
    if to_update:
        model.all_objects.bulk_update(to_update, sorted(update_fields), batch_size=BATCH_SIZE)  # type: ignore[attr-defined]
    return actions


def _load(source: Source, records: list[Record]) -> dict[tuple[str, str], str]:
    now = timezone.now()
    actions: dict[tuple[str, str], str] = {}
    by_model: dict[type[Observation], list[Record]] = {}
    for record in records:
        by_model.setdefault(record.model, []).append(record)
    for model, model_records in by_model.items():
        for start in range(0, len(model_records), BATCH_SIZE):
            batch = model_records[start : start + BATCH_SIZE]
            for key, action in _load_batch(source.name, batch, now).items():
                actions[(model._meta.label, key)] = action
    return actions


def _dedupe(records: Iterable[Record | RowOutcome]) -> Iterator[Record | RowOutcome]:
    seen: dict[tuple[str, str], int] = {}
    for item in records:
        if isinstance(item, Record):
            ident = (item.model._meta.label, item.key)
            if ident in seen:
                yield RowOutcome(
                    item.row,
                    item.key,
                    REJECTED,
                    {"key": [f"Duplicate of row {seen[ident]} (same source id)."]},
                )
                continue
            seen[ident] = item.row
        yield item


def run_import(
    source: Source,
    path: Path,
    *,
    commit: bool = False,
    strict: bool = False,
    user: Any = None,
    progress: Any = None,
) -> ImportReport:
    """Read, validate and (with ``commit``) load ``path``; always returns the per-row report."""
    if not path.is_file():
        raise ImporterError(f"No such file: {path}", fields={"path": ["File not found."]})
    started = timezone.now()
    report = ImportReport(source.name, str(path), file_sha256(path))
    valid: list[Record] = []
    items: Iterable[Record | RowOutcome] = _dedupe(source.records(path))
    if progress is not None:
        items = progress(items)
    try:
        for item in items:
            if isinstance(item, RowOutcome):
                report.outcomes.append(item)
                continue
            try:
                valid.append(validate(item, source))
            except RowError as e:
                report.outcomes.append(
                    RowOutcome(item.row, item.key, REJECTED, e.fields, item.flags)
                )
    except ImporterError as e:
        report.message = e.message
        _save_run(report, started, user)
        raise
    if strict and report.rejected:
        report.message = f"{len(report.rejected)} rows rejected; strict mode writes nothing."
        commit = False
    if commit:
        with transaction.atomic(), pghistory.context(importer=source.name, file=path.name):
            actions = _load(source, valid)
        report.committed = True
    else:
        actions = _dry_run_actions(source, valid)
    for record in valid:
        action = actions[(record.model._meta.label, record.key)]
        report.outcomes.append(RowOutcome(record.row, record.key, action, flags=record.flags))
    report.outcomes.sort(key=lambda o: o.row)
    _save_run(report, started, user)
    return report


def _dry_run_actions(source: Source, records: list[Record]) -> dict[tuple[str, str], str]:
    """What a commit would do, computed in a transaction that is always rolled back."""

    class _Rollback(Exception):
        pass

    result: dict[tuple[str, str], str] = {}
    try:
        with transaction.atomic():
            result = _load(source, records)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _save_run(report: ImportReport, started: Any, user: Any) -> None:
    ImportRun.objects.create(
        source=report.source,
        path=report.path,
        sha256=report.sha256,
        committed=report.committed,
        status=ImportRun.Status.FAILED if report.message else ImportRun.Status.OK,
        counts=report.counts,
        rejected=[
            {"row": o.row, "key": o.key, "errors": o.errors}
            for o in report.rejected[:MAX_REPORTED_REJECTIONS]
        ],
        message=report.message,
        started_at=started,
        finished_at=timezone.now(),
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
    )
