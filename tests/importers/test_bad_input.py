"""Messy public files: every problem is reported per row (naming the field), a batch that
cannot be read writes nothing, and the reasons are kept with the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.base import run_import
from importers.errors import ImporterError
from importers.models import ImportRun, PendingGeocode
from importers.registry import get_source
from importers.report import write_report
from mapping.models import DisabledParkingSpot, Place

pytestmark = pytest.mark.django_db

HEADER = "구분,주차장명,주소,총면수,장애인전용,임산부용,경차전용,전기차충전,사용제한,위도,경도"


def _cheonan(
    tmp_path: Path, rows: list[str], header: str = HEADER, encoding: str = "cp949"
) -> Path:
    path = tmp_path / "cheonan.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def test_each_bad_coordinate_is_named_and_the_good_rows_load(tmp_path: Path) -> None:
    path = _cheonan(
        tmp_path,
        [
            "무료,좋은 주차장,천안시 동남구 1,10,2,0,0,0,0,36.81,127.11",
            "무료,뒤바뀐 좌표,천안시 동남구 2,10,2,0,0,0,0,127.11,36.81",
            "무료,영점,천안시 동남구 3,10,2,0,0,0,0,0,0",
            "무료,도쿄,천안시 동남구 4,10,2,0,0,0,0,35.68,139.69",
            "무료,글자 좌표,천안시 동남구 5,10,2,0,0,0,0,북위,동경",
            "무료,좋은 주차장,천안시 동남구 1,10,2,0,0,0,0,36.81,127.11",
        ],
    )
    report = run_import(get_source("cheonan_parking"), path, commit=True, geocode=False)
    by_row = {o.row: o for o in report.outcomes}
    assert by_row[2].action == "created"
    assert "swapped" in by_row[3].errors["geom"][0]
    assert "0,0" in by_row[4].errors["geom"][0]
    assert "outside the service area" in by_row[5].errors["geom"][0]
    assert "Not numbers" in by_row[6].errors["경도/위도"][0]
    assert by_row[7].action == "rejected" and by_row[7].flags == ["duplicate"]
    assert DisabledParkingSpot.objects.count() == 1
    run = ImportRun.objects.get()
    assert run.counts["rejected"] == 5 and {r["row"] for r in run.rejected} == {3, 4, 5, 6, 7}


def test_an_undecodable_or_wrongly_declared_file_fails_whole(tmp_path: Path) -> None:
    good = _cheonan(tmp_path, ["무료,A,천안시 1,10,2,0,0,0,0,36.81,127.11"])
    source = get_source("cheonan_parking")
    source.encoding = "utf-8"  # type: ignore[misc]  # a wrong declaration: the file is cp949
    with pytest.raises(ImporterError) as info:
        run_import(source, good, commit=True)
    assert "encoding" in info.value.fields
    assert DisabledParkingSpot.objects.count() == 0
    assert ImportRun.objects.get().status == "failed"


def test_a_renamed_column_is_named_with_the_closest_header(tmp_path: Path) -> None:
    renamed = HEADER.replace("장애인전용", "장애인 전용")
    path = _cheonan(tmp_path, ["무료,A,천안시 1,10,2,0,0,0,0,36.81,127.11"], header=renamed)
    with pytest.raises(ImporterError) as info:
        run_import(get_source("cheonan_parking"), path, commit=True)
    assert info.value.fields["장애인전용"] == ["Missing column; did you mean '장애인 전용'?"]
    assert DisabledParkingSpot.objects.count() == 0


def test_a_known_alias_reads_a_renamed_column_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "toilets.csv"
    header = (
        '"연번","도로명주소","지번주소","경도","위도","건물명","구 명칭","전화번호","유형","개방시간",'
        '"장애인화장실 현황"'
    )
    row = '"1","서울특별시 중구 세종대로 110","","126.9779","37.5663","서울시청","중구"," ","공공개방|","상시|","공용|"'
    path.write_text(f"{header}\n{row}\n", encoding="utf-8-sig")
    report = run_import(get_source("seoul_toilets"), path, commit=True)  # x/y renamed 경도/위도
    assert report.counts["created"] == 1
    assert "column 'x 좌표' read from '경도'" in report.notes
    assert ImportRun.objects.get().notes == report.notes
    toilet = Place.objects.get()
    assert (toilet.geom.x, toilet.geom.y) == (126.9779, 37.5663) and toilet.toilet_accessible


def test_strict_mode_and_dry_runs_write_nothing_but_report_exactly(tmp_path: Path) -> None:
    path = _cheonan(
        tmp_path,
        ["무료,A,천안시 1,10,2,0,0,0,0,36.81,127.11", "무료,B,천안시 2,10,20,0,0,0,0,36.81,127.11"],
    )
    strict = run_import(get_source("cheonan_parking"), path, commit=True, strict=True)
    assert not strict.committed and "strict" in strict.message
    assert strict.counts["created"] == 1  # what a commit would have done
    assert "disabled_spaces" in strict.rejected[0].errors  # 20 disabled bays of 10
    dry = run_import(get_source("cheonan_parking"), path)
    assert dry.counts == strict.counts and not dry.committed
    assert DisabledParkingSpot.objects.count() == 0
    assert [r.committed for r in ImportRun.objects.order_by("pk")] == [False, False]


def test_half_a_coordinate_pair_sends_the_row_to_the_geocoders(tmp_path: Path) -> None:
    path = _cheonan(
        tmp_path,
        [
            "무료,좌표 있음,충청남도 천안시 서북구 불당동 1543,10,2,0,0,0,0,36.81,127.11",
            "무료,위도만,충청남도 천안시 서북구 불당동 1543,10,1,0,0,0,0,36.81,",
            "무료,주소도 없음,,10,1,0,0,0,0,,127.11",
        ],
    )
    report = run_import(get_source("cheonan_parking"), path, commit=True)
    by_row = {o.row: o for o in report.outcomes}
    # the same address was just located by row 2: the local geocoder places row 3 there
    assert by_row[3].action == "created" and by_row[3].flags == [
        "coordinates_incomplete",
        "geocoded:local",
    ]
    assert by_row[4].action == "rejected" and "Only one coordinate" in str(by_row[4].errors)
    spot = DisabledParkingSpot.objects.get(lot_name="위도만")
    assert (spot.geom.x, spot.geom.y) == (127.11, 36.81)


def test_an_address_nobody_knows_waits_as_needs_geocoding(tmp_path: Path) -> None:
    path = _cheonan(tmp_path, ["무료,어딘가,충청남도 천안시 없는로 999,10,1,0,0,0,0,,"])
    report = run_import(get_source("cheonan_parking"), path, commit=True)
    assert report.counts["needs_geocoding"] == 1 and report.counts["created"] == 0
    pending = PendingGeocode.objects.get()
    assert (
        pending.addresses == ["충청남도 천안시 없는로 999"]
        and pending.model == "mapping.DisabledParkingSpot"
    )
    assert pending.values["disabled_spaces"] == 1
    dry = run_import(get_source("cheonan_parking"), path)
    assert dry.counts["needs_geocoding"] == 1 and PendingGeocode.objects.count() == 1


def test_reports_are_written_as_json_jsonl_or_csv(tmp_path: Path) -> None:
    path = _cheonan(
        tmp_path,
        ["무료,A,천안시 1,10,2,0,0,0,0,36.81,127.11", "무료,B,천안시 2,열,2,0,0,0,0,36.81,127.11"],
    )
    report = run_import(get_source("cheonan_parking"), path, geocode=False)
    for suffix in ("json", "jsonl", "csv"):
        write_report(report, tmp_path / f"report.{suffix}")
    csv_text = (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    assert "3,B|천안시 2,rejected,총면수,\"Expected a number, got '열'.\"," in csv_text
    assert (tmp_path / "report.jsonl").read_text(encoding="utf-8").count("\n") == 2
    with pytest.raises(ImporterError):
        write_report(report, tmp_path / "report.xlsx")


def test_importing_again_changes_nothing_and_never_resurrects_a_deleted_row(tmp_path: Path) -> None:
    path = _cheonan(tmp_path, ["무료,A,천안시 1,10,2,0,0,0,0,36.81,127.11"])
    run_import(get_source("cheonan_parking"), path, commit=True)
    spot = DisabledParkingSpot.objects.get()
    spot.deleted_at = spot.updated_at
    spot.save()
    again = run_import(get_source("cheonan_parking"), path, commit=True)
    assert again.counts["unchanged"] == 1 and DisabledParkingSpot.objects.count() == 0
    assert Place.objects.count() == 0
