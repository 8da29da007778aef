"""Enforcement files: Cheonan counts match the files minus the flagged city-centre row; dry runs
and refused batches write nothing; re-imports are recognised; per-case files keep their times."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.db.models import Sum
from django.utils import timezone

from importers.errors import ImporterError
from importers.models import ImportRun
from modugil.geo import point
from tests.conftest import make_parking, shared_data
from tests.violations.conftest import ENFORCEMENT_2023
from violations import workflow
from violations.intake.enforcement_load import import_enforcement
from violations.models import ReportSource, ReportStatus, TimePrecision, ViolationReport

pytestmark = pytest.mark.django_db


def file_totals(path: Path, encoding: str) -> tuple[int, int]:
    with path.open(encoding=encoding) as fh:
        rows = list(csv.DictReader(fh))
    return len(rows), sum(int(r["단속건수"]) for r in rows)


def test_cheonan_2023_counts_match_the_file_minus_the_flagged_row(cheonan_2023) -> None:
    rows, cases = file_totals(shared_data(ENFORCEMENT_2023), "utf-8-sig")
    assert (rows, cases) == (3375, 286798)
    counts = cheonan_2023.counts
    assert counts["created"] == rows - 1 and counts["flagged"] == 1
    assert counts["flagged_geocode_fallback_point"] == 1 and counts["cases_flagged"] == 113459
    stored = ViolationReport.objects.filter(source_dataset=cheonan_2023.dataset)
    assert stored.count() == 3374
    assert stored.aggregate(n=Sum("case_count"))["n"] == cases - 113459
    assert not stored.filter(place_text="천안시").exists()
    sample = stored.get(place_text="천안시 성정동 성정공원5로")
    assert (sample.case_count, sample.district) == (7165, "성정동")
    assert sample.source == ReportSource.ENFORCEMENT and sample.status == ReportStatus.FINED
    assert sample.time_precision == TimePrecision.PERIOD
    assert timezone.localtime(sample.occurred_at).date().isoformat() == "2023-01-01"
    run = ImportRun.objects.get(pk=cheonan_2023.run_id)
    assert run.committed and run.counts["created"] == 3374 and "line 2" in run.message


def test_cheonan_2024_cp949_counts_match_the_file(cheonan_2024) -> None:
    path = shared_data("kr-public/cheonan_illegal_parking_enforcement_by_location_2024_cp949.csv")
    rows, cases = file_totals(path, "cp949")
    assert cheonan_2024.counts["created"] == rows == 5610
    stored = ViolationReport.objects.filter(source_dataset=cheonan_2024.dataset)
    assert stored.aggregate(n=Sum("case_count"))["n"] == cases == 118988
    last = stored.latest("occurred_until").occurred_until
    assert timezone.localtime(last).date().isoformat() == "2024-08-12"


def test_bulk_rows_skip_insert_history_but_later_changes_are_tracked(
    cheonan_2023, official
) -> None:
    events = ViolationReport.pgh_event_model.objects  # type: ignore[attr-defined]
    assert events.count() == 0  # the ImportRun (file hash, counts) records the bulk insert
    row = ViolationReport.objects.filter(source_dataset=cheonan_2023.dataset).first()
    workflow.transition(row, ReportStatus.CLOSED, actor=official)
    assert list(events.values_list("pgh_label", "status")) == [("update", "closed")]


def test_dry_run_writes_nothing_and_reimport_is_recognised(cheonan_2023) -> None:
    path = shared_data(ENFORCEMENT_2023)
    before = ViolationReport.objects.count()
    again = import_enforcement(path, commit=True)
    assert again.counts["unchanged"] == 3374 and not again.committed
    assert ViolationReport.objects.count() == before


def write(tmp_path: Path, text: str, name: str = "cases_2025.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


PER_CASE = (
    "단속일자,단속시간,단속동,단속장소,위반유형,위도,경도\n"
    "2025-03-03,08:15,두정동,두정역 앞,장애인전용구역 주차,36.8335,127.1395\n"
    "2025.03.08,19:40,두정동,두정역 앞,장애인전용구역 주차방해,36.8336,127.1396\n"
    "20250309,,성정동,성정공원,장애인전용구역 표지 부정사용,36.8278,127.1412\n"
    "2025-02-30,10:00,성정동,틀린날짜,,36.8278,127.1412\n"
    "2025-03-10,10:00,성정동,좌표없음,,,\n"
    "2025-03-10,10:00,성정동,뒤바뀐좌표,,127.14,36.82\n"
)


def test_per_case_file_keeps_times_types_and_names_bad_fields(tmp_path) -> None:
    bay = make_parking(geom=point(127.1395, 36.8335))
    path = write(tmp_path, PER_CASE, encoding="cp949")
    dry = import_enforcement(path)
    assert dry.counts["created"] == 3 and dry.counts["rejected"] == 3
    assert ViolationReport.objects.count() == 0
    report = import_enforcement(path, commit=True)
    rows = {r.source_line: r for r in ViolationReport.objects.all()}
    assert set(rows) == {2, 3, 4}
    assert rows[2].time_precision == TimePrecision.EXACT
    assert timezone.localtime(rows[2].occurred_at).strftime("%Y-%m-%d %H:%M") == "2025-03-03 08:15"
    assert rows[3].violation_type == "obstruction" and rows[4].violation_type == "permit_misuse"
    assert rows[4].time_precision == TimePrecision.DAY
    assert rows[2].spot == bay and rows[4].spot is None
    errors = {r.line: r.errors for r in report.rejected}
    assert set(errors) == {5, 6, 7}
    # Korean first: the report speaks the default language
    assert "단속일자" in errors[5] and "위도/경도" in errors[6] and "뒤바뀐" in str(errors[7])


def test_strict_mode_and_unreadable_files_write_nothing(tmp_path) -> None:
    path = write(tmp_path, PER_CASE)
    report = import_enforcement(path, commit=True, strict=True)
    assert not report.committed and "strict" in report.message
    assert ViolationReport.objects.count() == 0
    bad = write(tmp_path, "foo,bar\n1,2\n", name="bad_2025.csv")
    with pytest.raises(ImporterError) as error:
        import_enforcement(bad, commit=True)
    assert "위도" in error.value.fields


def test_a_changed_file_needs_replace(tmp_path) -> None:
    path = write(tmp_path, "단속건수,위도,경도\n5,36.83,127.13\n", name="x_2025.csv")
    first = import_enforcement(path, commit=True, dataset="cheonan-x")
    assert first.committed
    path.write_text("단속건수,위도,경도\n7,36.83,127.13\n8,36.84,127.14\n", encoding="utf-8")
    with pytest.raises(ImporterError):
        import_enforcement(path, commit=True, dataset="cheonan-x")
    replaced = import_enforcement(path, commit=True, dataset="cheonan-x", replace=True)
    assert replaced.counts["replaced"] == 1
    assert sorted(ViolationReport.objects.values_list("case_count", flat=True)) == [7, 8]


def test_command_reports_flagged_rows(db) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("import_enforcement", str(shared_data(ENFORCEMENT_2023)), stdout=out)
    text = out.getvalue()
    assert "dry run" in text and "flagged line 2: geocode_fallback_point (113459 cases)" in text
    assert ViolationReport.objects.count() == 0
