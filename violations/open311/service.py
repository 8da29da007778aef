"""The one Open311 service modugil offers: a disabled-parking violation report, and how a
report looks to the outside (coarse location, fixed-vocabulary notes, redacted media only)."""

from __future__ import annotations

from typing import Any

import h3.api.basic_int as h3i
from django.conf import settings
from django.urls import reverse

from violations.models import (
    CLOSED_STATUSES,
    DecisionReason,
    ReportStatus,
    ViolationReport,
    ViolationType,
)

SERVICE_CODE = "disabled_parking_violation"
SERVICE_NAME = "장애인전용주차구역 위반 신고"
# Published locations are the centre of this H3 cell (edge about 175 m): no exact car position.
PUBLIC_LOCATION_RES = 9

SERVICE = {
    "service_code": SERVICE_CODE,
    "service_name": SERVICE_NAME,
    "description": (
        "장애인전용주차구역 불법주차·주차방해·표지 부정사용 신고. 안전신문고 기준: "
        "1분 이상 간격으로 촬영한 사진 2장 이상 (Disabled-only parking violations; "
        "two photos at least one minute apart)."
    ),
    "metadata": True,
    "type": "realtime",
    "keywords": "장애인주차,disabled parking,불법주차",
    "group": "교통·주차",
}


def definition() -> dict[str, Any]:
    """Service definition: the questions a report answers (GeoReport v2 attributes)."""
    yes_no = [{"key": "true", "name": "예 (yes)"}, {"key": "false", "name": "아니오 (no)"}]
    return {
        "service_code": SERVICE_CODE,
        "attributes": [
            _attribute(
                "violation_type",
                "singlevaluelist",
                True,
                1,
                "위반 유형 (violation type)",
                [{"key": k, "name": str(n)} for k, n in ViolationType.choices],
            ),
            _attribute(
                "plate_visible", "singlevaluelist", True, 2, "사진에 번호판이 보입니까?", yes_no
            ),
            _attribute(
                "plate_number",
                "string",
                False,
                3,
                "차량번호 (stored encrypted for officials, never published)",
            ),
            _attribute("photo_1_taken_at", "datetime", True, 4, "첫 번째 사진 촬영 시각"),
            _attribute(
                "photo_2_taken_at",
                "datetime",
                True,
                5,
                "두 번째 사진 촬영 시각 (첫 사진보다 1분 이상 뒤)",
            ),
        ],
    }


def _attribute(
    code: str,
    datatype: str,
    required: bool,
    order: int,
    description: str,
    values: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": "ISO 8601 with offset" if datatype == "datetime" else "",
        "order": order,
        "description": description,
    }
    if values is not None:
        attribute["values"] = values
    return attribute


def open311_status(report: ViolationReport) -> str:
    return "closed" if report.status in CLOSED_STATUSES else "open"


def status_notes(report: ViolationReport) -> str:
    """Fixed vocabulary only: officials' free text never leaves the service."""
    note = str(ReportStatus(report.status).label)
    if report.decision_reason:
        note += f" — {DecisionReason(report.decision_reason).label}"
    return note


def public_request(report: ViolationReport, base_url: str) -> dict[str, Any]:
    lat, lon = h3i.cell_to_latlng(h3i.cell_to_parent(report.h3_r15, PUBLIC_LOCATION_RES))
    photo = next((p for p in report.photos.all() if p.is_published), None)
    spot = report.spot
    return {
        "service_request_id": str(report.pk),
        "status": open311_status(report),
        "status_notes": status_notes(report),
        "service_name": SERVICE_NAME,
        "service_code": SERVICE_CODE,
        "description": str(ViolationType(report.violation_type).label),
        "agency_responsible": settings.VIOLATIONS_OPEN311_AGENCY,
        "service_notice": "",
        "requested_datetime": report.created_at,
        "updated_datetime": report.updated_at,
        "expected_datetime": None,
        "address": (spot.address or spot.lot_name) if spot else "",
        "address_id": f"parking-spot-{spot.pk}" if spot else "",
        "zipcode": "",
        "lat": round(lat, 5),
        "long": round(lon, 5),
        "media_url": base_url + reverse("violation-photo-public", args=[photo.key])
        if photo
        else "",
        # extensions
        "status_detail": report.status,
        "violation_type": report.violation_type,
    }
