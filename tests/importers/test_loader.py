"""The set-based loader: upserts keyed by the source's id, history for every write, versions that
protect edits made here, and children replaced only when they differ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pghistory.models
import pytest

from importers.base import run_import
from importers.registry import get_source
from mapping.models import DisabledParkingSpot, Entrance, Place
from tests.importers.edits import edit

pytestmark = pytest.mark.django_db

HEADER = "구분,주차장명,주소,총면수,장애인전용,임산부용,경차전용,전기차충전,사용제한,위도,경도"
STORES = (
    "상호명,지점명,상권업종대분류명,도로명주소,전화번호,영업시간,위도,경도,일층,경사로,입구턱,입구문턱,"
    "장애인화장실,엘리베이터,장애인주차장"
)


def _cheonan(tmp_path: Path, disabled: int, total: int = 40) -> Path:
    path = tmp_path / f"cheonan-{disabled}-{total}.csv"
    path.write_text(
        f"{HEADER}\n무료,불당 주차장,천안시 서북구 1,{total},{disabled},0,0,1,0,36.81,127.11\n",
        encoding="utf-8",
    )
    return path


def _stores(tmp_path: Path, ramp: str) -> Path:
    path = tmp_path / f"stores-{ramp}.csv"
    row = f"카페,본점,카페,서울특별시 서초구 반포대로 13,02-000-0000,,37.4818,127.0118,Y,{ramp},N,Y,N,N,N"
    path.write_text(f"{STORES}\n{row}\n", encoding="utf-8")
    return path


def test_a_changed_row_is_updated_with_a_new_version_and_its_history(tmp_path: Path) -> None:
    run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 2), commit=True)
    spot = DisabledParkingSpot.objects.get()
    assert (spot.version, spot.disabled_spaces, spot.has_ev_charger) == (1, 2, True)
    report = run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 3), commit=True)
    assert report.counts["updated"] == 1
    spot.refresh_from_db()
    assert (spot.version, spot.disabled_spaces) == (2, 3)
    events = list(pghistory.models.Events.objects.tracks(spot).order_by("pgh_created_at", "pgh_id"))
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events[1].pgh_diff["disabled_spaces"] == [2, 3]
    assert events[1].pgh_context["importer"] == "cheonan_parking"


def test_an_edit_made_here_is_never_undone_by_a_reimport(tmp_path: Path, leader: Any) -> None:
    run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 2), commit=True)
    spot = edit(DisabledParkingSpot.objects.get(), leader, disabled_spaces=5)  # counted on site
    same = run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 2), commit=True)
    assert same.outcomes[0].action == "unchanged" and same.outcomes[0].flags == ["local_edit_kept"]
    newer = run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 4, total=50), commit=True)
    assert newer.counts["updated"] == 0
    spot.refresh_from_db()
    assert (spot.disabled_spaces, spot.total_spaces, spot.version) == (5, 40, 2)


def test_an_edit_equal_to_the_file_lets_later_imports_through_again(
    tmp_path: Path, leader: Any
) -> None:
    run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 2), commit=True)
    edit(DisabledParkingSpot.objects.get(), leader, disabled_spaces=3)
    agreeing = run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 3), commit=True)
    assert agreeing.outcomes[0].action == "unchanged" and agreeing.outcomes[0].flags == []


def test_children_are_replaced_only_when_they_differ(tmp_path: Path) -> None:
    run_import(get_source("seocho_stores"), _stores(tmp_path, "N"), commit=True)
    entrance = Entrance.objects.get()
    assert entrance.has_ramp is False
    same = run_import(get_source("seocho_stores"), _stores(tmp_path, "N"), commit=True)
    assert same.counts["unchanged"] == 1 and Entrance.objects.get().pk == entrance.pk
    ramp = run_import(get_source("seocho_stores"), _stores(tmp_path, "Y"), commit=True)
    assert ramp.counts["updated"] == 1
    place = Place.objects.get()
    assert place.version == 2 and Entrance.objects.get(place=place).has_ramp is True


def test_a_dry_run_reports_what_a_commit_does_and_leaves_no_trace(tmp_path: Path) -> None:
    run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 2), commit=True)
    dry = run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 3))
    assert dry.counts["updated"] == 1 and not dry.committed
    assert DisabledParkingSpot.objects.get().disabled_spaces == 2
    wet = run_import(get_source("cheonan_parking"), _cheonan(tmp_path, 3), commit=True)
    assert wet.counts == dry.counts


@pytest.mark.parametrize("model", [Place, DisabledParkingSpot])
def test_the_fast_instance_is_the_instance_django_builds(model: Any) -> None:
    from django.utils import timezone

    from importers.validate import new_instance

    values = {
        "source": "public_data",
        "observed_at": timezone.now(),
        "address": "천안시 1",
        "extra": {},
    }
    if model is Place:
        values |= {"name": "이름", "category": "cafe", "toilet_accessible": True}
    else:
        values |= {"disabled_spaces": 3, "total_spaces": 10}
    values = {k: v for k, v in values.items() if k in {f.name for f in model._meta.fields}}
    fast, django = new_instance(model, values), model(**values)
    for field in model._meta.concrete_fields:
        assert getattr(fast, field.attname) == getattr(django, field.attname), field.name
    assert fast._state.adding and fast.cross_field_errors() == django.cross_field_errors() == {}
