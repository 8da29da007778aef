"""Seoul Seocho-gu and Cheonan public datasets, one small mapping each."""

from __future__ import annotations

from typing import Any

from django.db import models

from importers.csv_source import CsvSource
from importers.fields import compute, const, extras, flag, integer, text
from importers.readers import parse_flag, parse_int
from mapping.models import DisabledParkingSpot, LotKind, Place, PlaceCategory

SEOCHO_BBOX = (126.97, 37.42, 127.10, 37.53)


def _short(limit: int) -> Any:
    return lambda value: value[:limit]


def _has_charger(value: str) -> bool | None:
    chargers = parse_int(value, "전기차충전", maximum=10_000)
    return None if chargers is None else chargers > 0


class SeochoAccessibleStores(CsvSource):
    """서초구 stores surveyed for entrance, toilet and parking accessibility (Y/N flags)."""

    name = "seocho_stores"
    description = "서초구 접근성 조사 상점 (cp949, Y/N flags)"
    model = Place
    key_columns = ("상호명", "지점명", "도로명주소")
    lon_column, lat_column = "경도", "위도"
    address_columns = ("도로명주소",)
    fields = {
        "name": compute(lambda name, branch: f"{name} {branch}".strip(), "상호명", "지점명"),
        "category": compute(
            lambda kind: PlaceCategory.CAFE if kind == "카페" else PlaceCategory.RESTAURANT,
            "상권업종대분류명",
        ),
        "address": text("도로명주소"),
        "phone": compute(_short(40), "전화번호", required=False),
        "is_ground_floor": flag("일층"),
        "toilet_accessible": flag("장애인화장실"),
        "has_elevator": flag("엘리베이터"),
        "extra": extras(
            opening_hours_text=text("영업시간", required=False),
            has_disabled_parking=flag("장애인주차장"),
        ),
    }
    required_columns = ("경사로", "입구턱", "입구문턱")

    def children(self, row: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        return {
            "entrances": [
                {
                    "name": "주출입구",
                    "is_main": True,
                    "has_ramp": parse_flag(row["경사로"], "경사로"),
                    "has_steps": parse_flag(row["입구턱"], "입구턱"),
                    "has_threshold": parse_flag(row["입구문턱"], "입구문턱"),
                }
            ]
        }


FACILITY_KIND = {
    "장애인 주차장": "parking",
    "장애인 화장실": PlaceCategory.TOILET,
    "휠체어 충전소": PlaceCategory.WHEELCHAIR_CHARGER,
    "장애인용 승강기": PlaceCategory.PUBLIC_BUILDING,
}
FACILITY_COLUMNS = ("시설물 구분", "시설물명", "소재지 주소", "행정동")


def facility_key(row: dict[str, str]) -> str:
    """The source project's cache key: kind, name, address and 행정동 joined by U+241F."""
    return "\u241f".join(row[c] for c in FACILITY_COLUMNS)


class _SeochoFacilityMapping(CsvSource):
    """서초구 장애인 편의시설: parking becomes parking spots, the rest places."""

    model = Place
    # Both files describe one dataset: the geocoded file is a partial location cache of the other.
    dataset = "seocho_facilities_geocoded"
    address_columns = ("소재지 주소",)
    required_columns = FACILITY_COLUMNS
    expected_bbox = SEOCHO_BBOX

    def include(self, row: dict[str, str]) -> bool:
        return row["시설물 구분"] in FACILITY_KIND

    def model_for(self, row: dict[str, str]) -> type[models.Model]:
        return DisabledParkingSpot if FACILITY_KIND[row["시설물 구분"]] == "parking" else Place

    def values(self, row: dict[str, str]) -> dict[str, Any]:
        kind = FACILITY_KIND[row["시설물 구분"]]
        if kind == "parking":
            return {"lot_name": row["시설물명"], "address": row["소재지 주소"]}
        values: dict[str, Any] = {
            "name": row["시설물명"],
            "category": kind,
            "address": row["소재지 주소"],
            "extra": {"행정동": row["행정동"]},
        }
        if kind == PlaceCategory.TOILET:
            values["toilet_accessible"] = True
        if row["시설물 구분"] == "장애인용 승강기":
            values["has_elevator"] = True
        return values


class SeochoFacilitiesGeocoded(_SeochoFacilityMapping):
    name = "seocho_facilities_geocoded"
    description = "서초구 장애인 편의시설 (geocoded with Kakao by the source project)"
    key_columns = ("cache_key",)
    lon_column, lat_column = "lon", "lat"


class SeochoFacilities(_SeochoFacilityMapping):
    """The official file: addresses only. Rows are located from what is stored (including the
    geocoded file's rows with the same key) or kept as needing geocoding."""

    name = "seocho_facilities"
    description = "서초구 장애인 편의시설 현황 (주소만, 데이터기준일자 2025-09-18)"
    key_columns = FACILITY_COLUMNS

    def key(self, row: dict[str, str]) -> str:
        return facility_key(row)


class CheonanDisabledParking(CsvSource):
    """천안도시공사 public car parks with their disabled-only space counts."""

    name = "cheonan_parking"
    description = "천안도시공사 주차장 현황 (장애인전용 면수)"
    model = DisabledParkingSpot
    key_columns = ("주차장명", "주소")
    lon_column, lat_column = "경도", "위도"
    address_columns = ("주소",)
    fields = {
        "lot_name": text("주차장명"),
        "lot_kind": const(LotKind.PUBLIC),
        "operator": const("천안도시공사"),
        "address": text("주소"),
        "total_spaces": integer("총면수", maximum=100_000),
        "disabled_spaces": integer("장애인전용", maximum=2000),
        "has_ev_charger": compute(_has_charger, "전기차충전"),
    }
