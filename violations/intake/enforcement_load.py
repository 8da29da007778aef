"""Loading parsed enforcement rows: one COPY in one transaction, recorded as an ``ImportRun``."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import h3.api.basic_int as h3i
import pgtrigger
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from importers.base import file_sha256
from importers.errors import ImporterError
from importers.models import ImportRun
from violations import spots
from violations.intake.enforcement import (
    AGGREGATED,
    EnforcementReport,
    EnforcementRow,
    Flagged,
    ParseOptions,
    Rejected,
    parse,
    sniff_layout,
    year_period,
)
from violations.models import (
    H3_STORED_RES,
    Channel,
    ReportSource,
    ReportStatus,
    ViolationReport,
)

SOURCE_NAME = "violations_enforcement"
MAX_LISTED = 1000
BULK_TRIGGERS = (
    "violations.ViolationReport:insert_insert",
    "violations.ViolationReport:delete_delete",
)
COPY_COLUMNS = (
    "geom",
    "h3_r15",
    "occurred_at",
    "occurred_until",
    "time_precision",
    "violation_type",
    "source",
    "channel",
    "status",
    "case_count",
    "district",
    "place_text",
    "description",
    "plate_hash",
    "plate_encrypted",
    "reporter_contact_encrypted",
    "decision_reason",
    "source_dataset",
    "source_ref",
    "source_line",
    "import_run_id",
    "version",
    "created_at",
    "updated_at",
)


def import_enforcement(
    path: Path,
    *,
    dataset: str | None = None,
    commit: bool = False,
    replace: bool = False,
    strict: bool = False,
    year: int | None = None,
    until: datetime | None = None,
    user: Any = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> EnforcementReport:
    """Validate ``path`` and, with ``commit``, load it; always returns the report."""
    if not path.is_file():
        raise ImporterError(f"No such file: {path}", fields={"path": ["File not found."]})
    started = timezone.now()
    layout = sniff_layout(path)
    options = ParseOptions(fallback_points=list(settings.VIOLATIONS_GEOCODE_FALLBACK_POINTS))
    if layout.name == AGGREGATED:
        options.period_start, options.period_end = year_period(path, year, until)
    report = EnforcementReport(
        str(path), file_sha256(path), dataset or f"enforcement:{path.stem}"[:80], layout.name
    )
    existing = _existing(report)
    items: Iterable[Any] = parse(path, layout, options)
    if progress is not None:
        items = progress(items)
    if commit and not existing:
        _commit(report, items, started, user, replace=replace, strict=strict)
    else:
        for item in items:
            _count(report, item)
        if existing and not report.message:
            report.message = (
                f"Already imported: {existing} rows of this file are in {report.dataset}."
            )
            report.counts["unchanged"] = report.counts.pop("created", 0)
        _save_run(report, started, user)
    return report


def _existing(report: EnforcementReport) -> int:
    """Rows of this dataset from the same file; a different file needs ``replace``."""
    rows = ViolationReport.objects.filter(source_dataset=report.dataset)
    runs = set(rows.values_list("import_run__sha256", flat=True).distinct()[:5])
    if not runs:
        return 0
    if runs == {report.sha256}:
        return rows.count()
    report.counts["replaced"] = rows.count()
    return 0


def _count(report: EnforcementReport, item: EnforcementRow | Flagged | Rejected) -> None:
    if isinstance(item, EnforcementRow):
        report.counts["created"] += 1
        report.counts["cases_created"] += item.cases
    elif isinstance(item, Flagged):
        report.counts["flagged"] += 1
        report.counts[f"flagged_{item.reason}"] += 1
        report.counts["cases_flagged"] += item.cases
        if len(report.flagged) < MAX_LISTED:
            report.flagged.append(item)
    else:
        report.counts["rejected"] += 1
        if len(report.rejected) < MAX_LISTED:
            report.rejected.append(item)


def _commit(
    report: EnforcementReport,
    items: Iterable[Any],
    started: datetime,
    user: Any,
    *,
    replace: bool,
    strict: bool,
) -> None:
    if report.counts.get("replaced") and not replace:
        n = report.counts["replaced"]
        msg = f"{report.dataset} already holds {n} rows from another file: use --replace."
        raise ImporterError(msg, fields={"dataset": [msg]})
    try:
        with transaction.atomic():
            run = _save_run(report, started, user)
            with pgtrigger.ignore(*BULK_TRIGGERS), connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # sets pgtrigger.ignore for this transaction
                if replace:
                    cursor.execute(
                        "DELETE FROM violations_violationreport WHERE source_dataset = %s",
                        [report.dataset],
                    )
                    report.counts["replaced"] = cursor.rowcount
                _copy(cursor, report, items, run.pk)
            if strict and report.counts["rejected"]:
                raise _StrictRollback
            report.counts["linked_to_bays"] = spots.link_spots(
                "r.import_run_id = %(run)s", {"run": run.pk}
            )
            report.committed = True
            _finish_run(run, report)
    except _StrictRollback:
        report.message = f"{report.counts['rejected']} rows rejected; strict mode writes nothing."
        report.counts.pop("linked_to_bays", None)
        _save_run(report, started, user)  # keep a record of the refused batch
        return
    if report.counts["created"] > 10000:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE violations_violationreport")


class _StrictRollback(Exception):
    """Raised inside the transaction so that a strict import leaves nothing behind."""


# COPY text format: backslash, tab and line breaks in free text must be escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_BATCH_ROWS = 20000


def _copy(cursor: Any, report: EnforcementReport, items: Iterable[Any], run_id: int) -> None:
    """Stream rows as COPY text lines (built here: much cheaper than per-value adaptation)."""
    now = timezone.now().isoformat()
    columns = ", ".join(COPY_COLUMNS)
    latlng_to_cell = h3i.latlng_to_cell
    constant = "\t".join((ReportSource.ENFORCEMENT, Channel.IMPORT, ReportStatus.FINED))
    # place_text | description, plate_hash, plate_encrypted, contact, reason (empty) | dataset | ref
    tail = f"\t\t\t\t\t\t{report.dataset.translate(_COPY_ESCAPES)}\t\t"
    lines: list[str] = []
    with cursor.cursor.copy(f"COPY violations_violationreport ({columns}) FROM STDIN") as copy:
        for item in items:
            if not isinstance(item, EnforcementRow):
                _count(report, item)
                continue
            report.counts["created"] += 1
            report.counts["cases_created"] += item.cases
            until = item.occurred_until.isoformat() if item.occurred_until else "\\N"
            lines.append(
                f"{_ewkb_point(item.lon, item.lat)}\t"
                f"{latlng_to_cell(item.lat, item.lon, H3_STORED_RES)}\t"
                f"{item.occurred_at.isoformat()}\t{until}\t{item.precision}\t"
                f"{item.violation_type}\t{constant}\t{item.cases}\t"
                f"{item.district.translate(_COPY_ESCAPES)}\t{item.place.translate(_COPY_ESCAPES)}"
                f"{tail}{item.line}\t{run_id}\t1\t{now}\t{now}\n"
            )
            if len(lines) >= COPY_BATCH_ROWS:
                copy.write("".join(lines))
                lines.clear()
        if lines:
            copy.write("".join(lines))


_EWKB_POINT_4326 = struct.Struct("<BIIdd")


def _ewkb_point(lon: float, lat: float) -> str:
    """Hex EWKB of a WGS84 point: PostGIS reads it faster than WKT text."""
    return _EWKB_POINT_4326.pack(1, 0x20000001, 4326, lon, lat).hex()


def _save_run(report: EnforcementReport, started: datetime, user: Any) -> ImportRun:
    run = ImportRun.objects.create(
        source=SOURCE_NAME,
        path=report.path[:500],
        sha256=report.sha256,
        committed=report.committed,
        status=ImportRun.Status.FAILED
        if report.message and not report.counts.get("unchanged")
        else ImportRun.Status.OK,
        counts=report.as_counts(),
        rejected=_listed(report),
        message=report.message or _flag_message(report),
        started_at=started,
        finished_at=timezone.now(),
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
    )
    report.run_id = run.pk
    return run


def _failed(report: EnforcementReport) -> bool:
    return bool(report.message) and not report.counts.get("unchanged")


def _finish_run(run: ImportRun, report: EnforcementReport) -> None:
    run.committed = True
    run.counts = report.as_counts()
    run.rejected = _listed(report)
    run.message = _flag_message(report)
    run.finished_at = timezone.now()
    run.save(update_fields=["committed", "counts", "rejected", "message", "finished_at"])


def _listed(report: EnforcementReport) -> list[dict[str, Any]]:
    return [{"row": r.line, "key": None, "errors": r.errors} for r in report.rejected]


def _flag_message(report: EnforcementReport) -> str:
    if not report.flagged:
        return ""
    lines = ", ".join(
        f"line {f.line} ({f.reason}, {f.cases} cases{', ' + f.place if f.place else ''})"
        for f in report.flagged[:20]
    )
    return f"Flagged, not mapped: {lines}"
