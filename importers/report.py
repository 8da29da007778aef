"""Per-row import reports as files: JSON (one document), JSON Lines, or CSV (one line per error)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from importers.errors import ImporterError
from importers.records import ImportReport

FORMATS = ("json", "jsonl", "csv")


def report_document(report: ImportReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "dataset": report.dataset,
        "path": report.path,
        "sha256": report.sha256,
        "committed": report.committed,
        "counts": report.counts,
        "notes": report.notes,
        "message": report.message,
        "rows": [o.as_dict() for o in report.outcomes],
    }


def write_report(report: ImportReport, path: Path, fmt: str | None = None) -> None:
    """Write ``report`` to ``path``; the format comes from ``fmt`` or the file extension."""
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ImporterError(
            f"Unknown report format {fmt!r}; use one of {', '.join(FORMATS)}.",
            fields={"report": [f"Use .{' or .'.join(FORMATS)}"]},
        )
    if fmt == "json":
        path.write_text(json.dumps(report_document(report), ensure_ascii=False, indent=1), "utf-8")
    elif fmt == "jsonl":
        with path.open("w", encoding="utf-8") as out:
            for outcome in report.outcomes:
                out.write(json.dumps(outcome.as_dict(), ensure_ascii=False) + "\n")
    else:
        _write_csv(report, path)


def _write_csv(report: ImportReport, path: Path) -> None:
    # utf-8-sig so that Excel (what officials open CSVs with) shows Korean correctly
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "key", "action", "field", "message", "flags"])
        for o in report.outcomes:
            flags = " ".join(o.flags)
            if not o.errors:
                writer.writerow([o.row, o.key, o.action, "", "", flags])
            for field, messages in o.errors.items():
                for message in messages:
                    writer.writerow([o.row, o.key, o.action, field, message, flags])
