"""National standard data and Seoul-wide datasets: parking lots and public toilets."""

from __future__ import annotations

import re

from importers.csv_source import CsvSource
from importers.fields import compute, const, date, extras, flag, integer, text
from mapping.models import Place, PlaceCategory

SEOUL_BBOX = (126.76, 37.41, 127.19, 37.72)
DISCOUNT_WORDS = ("할인", "감면", "면제", "경감", "무료", "%", "프로", "퍼센트")
LOT_KIND = {"공영": "public", "민영": "private"}
LOT_TYPE = {"노외": "off_street", "노상": "on_street", "부설": "attached"}


def first_of(*values: str) -> str:
    return next((v for v in values if v), "")


def mentions_disabled(*texts: str) -> bool | None:
    """True when the fee or notes text mentions 장애인 (1,421 rows of the 2022 release)."""
    return True if any("장애인" in t for t in texts) else None


def disabled_discount(*texts: str) -> bool | None:
    """A fee reduction for disabled drivers (장애인 ... 할인/감면/면제), when the text says so."""
    for value in texts:
        if "장애인" in value and any(word in value for word in DISCOUNT_WORDS):
            return True
    return None


class NationalParkingLots(CsvSource):
    """전국주차장정보표준데이터 (data.go.kr 15012896): every public and private car park.

    The 2022 release has no ``장애인전용주차구역보유여부`` column (later releases do; it is read
    when present). 주차장관리번호 repeats when a province and its district both publish a lot:
    the row with the latest 데이터기준일자 wins. Lots are places of category parking; rows
    without coordinates are located by address or kept as needing geocoding.
    """

    name = "kr_parking_lots"
    description = "전국주차장정보표준데이터 (data.go.kr 15012896)"
    model = Place
    key_columns = ("주차장관리번호",)
    lon_column, lat_column = "경도", "위도"
    address_columns = ("소재지도로명주소", "소재지지번주소")
    prefer_latest = "데이터기준일자"
    fields = {
        "name": text("주차장명"),
        "category": const(PlaceCategory.PARKING),
        "address": compute(first_of, "소재지도로명주소", "소재지지번주소"),
        "phone": compute(lambda v: v[:40], "전화번호", required=False),
        "observed_at": date("데이터기준일자"),
        "extra": extras(
            lot_kind=compute(LOT_KIND.get, "주차장구분"),
            lot_type=compute(LOT_TYPE.get, "주차장유형"),
            total_spaces=integer("주차구획수", maximum=100_000),
            fee=text("요금정보", required=False),
            notes=text("특기사항", required=False),
            disabled_mention=compute(mentions_disabled, "요금정보", "특기사항"),
            disabled_discount=compute(disabled_discount, "요금정보", "특기사항"),
            has_disabled_bays=flag("장애인전용주차구역보유여부", required=False),
            operator=text("관리기관명", required=False),
            provider=text("제공기관명", required=False),
        ),
    }


def toilet_kinds(value: str) -> list[str]:
    """'남자|여자|' -> ['male', 'female']; '공용|' -> ['unisex']; blank -> []."""
    names = {"남자": "male", "여자": "female", "공용": "unisex"}
    return [names[p.strip()] for p in value.split("|") if p.strip() in names]


def accessible_toilet(value: str) -> bool | None:
    """Listed accessible toilets mean yes; a blank field is unknown, not no."""
    return True if toilet_kinds(value) else None


_HOURS = re.compile(r"(\d{1,2}:\d{2})\s*~\s*(\d{1,2}:\d{2})")


def osm_opening_hours(value: str) -> str:
    """'상시(24시간)|' -> '24/7'; '정시(09:00~18:00,평일)|' -> 'Mo-Fr 09:00-18:00'; else ''."""
    text_value = value.strip(" |")
    if text_value.startswith("상시"):
        return "24/7"
    match = _HOURS.search(text_value)
    if not match or "영업" in text_value:
        return ""
    hours = f"{match.group(1).zfill(5)}-{match.group(2).zfill(5)}"
    return f"Mo-Fr {hours}" if "평일" in text_value else hours


class SeoulPublicToilets(CsvSource):
    """서울시 공중화장실 with the 장애인화장실 현황 field (x = longitude, y = latitude).

    Two rows are Daejeon toilets listed by mistake: kept (their address agrees with their
    coordinates) and flagged ``outside_expected_area``.
    """

    name = "seoul_toilets"
    description = "서울시 공중화장실 (장애인화장실 현황)"
    model = Place
    key_columns = ("연번",)
    lon_column, lat_column = "x 좌표", "y 좌표"
    column_aliases = {"x 좌표": ("X좌표", "x좌표", "경도"), "y 좌표": ("Y좌표", "y좌표", "위도")}
    address_columns = ("도로명주소", "지번주소")
    expected_bbox = SEOUL_BBOX
    fields = {
        "name": compute(lambda building: building or "공중화장실", "건물명"),
        "category": const(PlaceCategory.TOILET),
        "address": compute(first_of, "도로명주소", "지번주소"),
        "phone": compute(lambda v: v[:40], "전화번호", required=False),
        "opening_hours": compute(osm_opening_hours, "개방시간"),
        "toilet_accessible": compute(accessible_toilet, "장애인화장실 현황"),
        "extra": extras(
            accessible_toilets=compute(toilet_kinds, "장애인화장실 현황"),
            toilets=compute(toilet_kinds, "화장실 현황", required=False),
            facilities=compute(
                lambda v: [p for p in v.split("|") if p.strip()],
                "편의시설 (기타설비)",
                required=False,
            ),
            kind=compute(lambda v: v.strip(" |"), "유형", required=False),
            district=text("구 명칭", required=False),
            opening_hours_text=compute(lambda v: v.strip(" |"), "개방시간"),
        ),
    }
