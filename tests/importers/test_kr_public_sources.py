"""Korean public datasets import with the counts their README states, and re-import unchanged."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from importers.base import run_import
from importers.models import PendingGeocode
from importers.registry import get_source
from mapping.models import DisabledParkingSpot, Entrance, Place
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db

NATIONAL = "kr-public/national_parking_lot_standard_2022_cp949.csv"
TOILETS = "kr-public/seoul_public_toilets_cp949.csv"
SEOCHO = "kr-public/seoul_seocho_disabled_convenience_facilities_20250918_cp949.csv"
SEOCHO_GEOCODED = "kr-public/seoul_seocho_disabled_convenience_facilities_geocoded.csv"


def _rows(path: Path, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode(encoding).lstrip("\ufeff"))))


def _latest_per_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """The row a re-published 주차장관리번호 should keep: the latest 데이터기준일자, first on ties."""
    latest: dict[str, dict[str, str]] = {}
    for row in rows:
        key = row["주차장관리번호"]
        if key not in latest or row["데이터기준일자"] > latest[key]["데이터기준일자"]:
            latest[key] = row
    return latest


def test_national_parking_lots_match_the_readme_and_reimport_unchanged() -> None:
    path = shared_data(NATIONAL)
    rows = _rows(path, "cp949")
    with_coords = [r for r in rows if r["위도"].strip() and r["경도"].strip()]
    mentions = [r for r in rows if "장애인" in r["요금정보"] or "장애인" in r["특기사항"]]
    assert (len(rows), len(with_coords), len(mentions)) == (14_802, 12_346, 1_421)  # README
    latest = _latest_per_id(rows)

    report = run_import(get_source("kr_parking_lots"), path, commit=True)

    counts = report.counts
    assert sum(counts[a] for a in ("created", "rejected", "needs_geocoding")) == 14_802
    assert counts["flag:duplicate"] == len(rows) - len(latest) == 1_600
    assert counts["rejected"] == counts["flag:duplicate"]  # nothing else is wrong in this file
    winners_with_coords = sum(1 for r in latest.values() if r["위도"].strip() and r["경도"].strip())
    located = counts["created"] - counts.get("flag:geocoded:local", 0)
    assert located == winners_with_coords
    lots = Place.objects.filter(source_dataset="kr_parking_lots")
    assert lots.count() == counts["created"]
    assert (
        PendingGeocode.objects.filter(dataset="kr_parking_lots").count()
        == counts["needs_geocoding"]
    )
    # half a coordinate pair is no location: those rows were sent to the geocoders
    assert counts["flag:coordinates_incomplete"] > 0
    stored_mentions = lots.filter(extra__disabled_mention=True).count()
    pending_mentions = sum(
        1
        for p in PendingGeocode.objects.filter(dataset="kr_parking_lots")
        if p.values["extra"].get("disabled_mention")
    )
    winner_mentions = sum(1 for r in latest.values() if "장애인" in r["요금정보"] + r["특기사항"])
    assert stored_mentions + pending_mentions == winner_mentions
    lot = lots.get(source_ref="186-2-000015")  # published twice; the 2022-06-09 row wins
    assert lot.observed_at.date().isoformat() == "2022-06-09"
    assert lot.extra["lot_kind"] == "public" and lot.extra["total_spaces"] == 70

    again = run_import(get_source("kr_parking_lots"), path, commit=True)
    assert again.counts["created"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == counts["created"]


def test_seoul_toilets_parse_the_accessible_toilet_field_with_x_as_longitude() -> None:
    path = shared_data(TOILETS)
    rows = _rows(path, "cp949")
    listed = [r for r in rows if r["장애인화장실 현황"].strip()]
    assert (len(rows), len(listed)) == (4_415, 2_284)  # README

    report = run_import(get_source("seoul_toilets"), path, commit=True)

    assert report.counts["created"] == 4_415 and report.counts["rejected"] == 0
    toilets = Place.objects.filter(source_dataset="seoul_toilets")
    assert toilets.filter(toilet_accessible=True).count() == 2_284
    assert (
        toilets.filter(toilet_accessible__isnull=True).count() == 4_415 - 2_284
    )  # blank = unknown
    both = Counter(r["장애인화장실 현황"] for r in listed)["남자|여자|"]
    assert toilets.filter(extra__accessible_toilets=["male", "female"]).count() == both
    first = toilets.get(source_ref="262747")
    assert (first.geom.x, first.geom.y) == (127.00106423, 37.58606044)  # x = lon, y = lat
    assert first.opening_hours == "24/7" and first.extra["toilets"] == ["unisex"]
    assert first.toilet_accessible is None and first.extra["accessible_toilets"] == []
    # two Daejeon toilets in the Seoul list: kept (their address agrees) but flagged
    assert report.counts["flag:outside_expected_area"] == 2
    flagged = [o.key for o in report.outcomes if "outside_expected_area" in o.flags]
    assert all("대전" in toilets.get(source_ref=key).address for key in flagged)


def test_seocho_address_only_file_is_located_from_the_geocoded_file_or_kept_pending() -> None:
    geocoded, official = shared_data(SEOCHO_GEOCODED), shared_data(SEOCHO)
    first = run_import(get_source("seocho_facilities_geocoded"), geocoded, commit=True)
    # README: 1,002 rows, 997 with coordinates; the 5 the source project could not geocode wait
    assert (first.counts["created"], first.counts["needs_geocoding"]) == (997, 5)

    report = run_import(get_source("seocho_facilities"), official, commit=True)

    counts = report.counts
    assert sum(counts[a] for a in ("created", "unchanged", "needs_geocoding")) == 1_668  # README
    assert counts["flag:geocoded:existing"] == first.counts["created"]  # same key, same place
    assert counts["unchanged"] == first.counts["created"]
    pending = PendingGeocode.objects.filter(dataset="seocho_facilities_geocoded", status="pending")
    assert pending.count() == counts["needs_geocoding"]
    sample = pending.first()
    assert sample is not None and sample.addresses and sample.addresses[0].startswith("서울")
    parking = DisabledParkingSpot.objects.filter(source_dataset="seocho_facilities_geocoded")
    total_parking = sum(1 for r in _rows(official, "cp949") if r["시설물 구분"] == "장애인 주차장")
    assert total_parking == 261  # README
    assert parking.count() + pending.filter(model="mapping.DisabledParkingSpot").count() == 261

    again = run_import(get_source("seocho_facilities"), official, commit=True)
    assert again.counts["created"] == again.counts["updated"] == 0
    assert (
        PendingGeocode.objects.filter(dataset="seocho_facilities_geocoded").count()
        == pending.count()
    )


def test_seocho_stores_keep_their_entrance_survey() -> None:
    path = shared_data("kr-public/seoul_seocho_accessible_stores_cp949.csv")
    report = run_import(get_source("seocho_stores"), path, commit=True)
    assert report.counts["created"] == 462  # README
    store = Place.objects.get(source_dataset="seocho_stores", name="던킨도너츠 강남본점")
    assert store.is_ground_floor is True and store.toilet_accessible is False
    entrance = Entrance.objects.get(place=store)
    assert (entrance.has_ramp, entrance.has_steps, entrance.has_threshold) == (False, False, True)
