"""Korean public datasets (data.go.kr and local governments), one small mapping each."""

from __future__ import annotations

from typing import Any

from importers.csv_source import CsvSource
from importers.readers import parse_flag, parse_int
from mapping.models import DisabledParkingSpot, LotKind, Observation, Place, PlaceCategory


class SeochoAccessibleStores(CsvSource):
    """서초구 stores surveyed for entrance, toilet and parking accessibility (Y/N flags)."""

    name = "seocho_stores"
    description = "서초구 접근성 조사 상점 (cp949, Y/N flags)"
    model = Place
    required_columns = (
        "상호명",
        "지점명",
        "상권업종대분류명",
        "도로명주소",
        "위도",
        "경도",
        "일층",
        "경사로",
        "입구턱",
        "입구문턱",
        "장애인화장실",
        "엘리베이터",
        "장애인주차장",
    )
    key_columns = ("상호명", "지점명", "도로명주소")
    lon_column, lat_column = "경도", "위도"

    def values(self, row: dict[str, str]) -> dict[str, Any]:
        name = f"{row['상호명']} {row['지점명']}".strip()
        category = (
            PlaceCategory.CAFE if row["상권업종대분류명"] == "카페" else PlaceCategory.RESTAURANT
        )
        disabled_parking = parse_flag(row["장애인주차장"], "장애인주차장")
        return {
            "name": name,
            "category": category,
            "address": row["도로명주소"],
            "phone": row.get("전화번호", "")[:40],
            "is_ground_floor": parse_flag(row["일층"], "일층"),
            "toilet_accessible": parse_flag(row["장애인화장실"], "장애인화장실"),
            "has_elevator": parse_flag(row["엘리베이터"], "엘리베이터"),
            "extra": {
                "opening_hours_text": row.get("영업시간", ""),
                "has_disabled_parking": disabled_parking,
            },
        }

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


class SeochoFacilitiesGeocoded(CsvSource):
    """서초구 장애인 편의시설, geocoded: parking becomes parking spots, the rest places."""

    name = "seocho_facilities_geocoded"
    description = "서초구 장애인 편의시설 (geocoded with Kakao by the source project)"
    model = Place
    required_columns = (
        "cache_key",
        "시설물 구분",
        "시설물명",
        "소재지 주소",
        "행정동",
        "lat",
        "lon",
        "geocode_status",
    )
    key_columns = ("cache_key",)
    lon_column, lat_column = "lon", "lat"

    def include(self, row: dict[str, str]) -> bool:
        return row["시설물 구분"] in FACILITY_KIND

    def model_for(self, row: dict[str, str]) -> type[Observation]:
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


class CheonanDisabledParking(CsvSource):
    """천안도시공사 public car parks with their disabled-only space counts."""

    name = "cheonan_parking"
    description = "천안도시공사 주차장 현황 (장애인전용 면수)"
    model = DisabledParkingSpot
    required_columns = (
        "구분",
        "주차장명",
        "주소",
        "총면수",
        "장애인전용",
        "전기차충전",
        "위도",
        "경도",
    )
    key_columns = ("주차장명", "주소")
    lon_column, lat_column = "경도", "위도"

    def values(self, row: dict[str, str]) -> dict[str, Any]:
        chargers = parse_int(row["전기차충전"], "전기차충전", maximum=10_000)
        return {
            "lot_name": row["주차장명"],
            "lot_kind": LotKind.PUBLIC,
            "operator": "천안도시공사",
            "address": row["주소"],
            "total_spaces": parse_int(row["총면수"], "총면수", maximum=100_000),
            "disabled_spaces": parse_int(row["장애인전용"], "장애인전용", maximum=2000),
            "has_ev_charger": None if chargers is None else chargers > 0,
        }
