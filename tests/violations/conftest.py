"""Violations test world: evidence photos with EXIF capture times, sensors, Cheonan imports."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from django.utils import timezone
from PIL import Image

from mapping.photos import DATETIME_ORIGINAL, EXIF_IFD
from modugil.geo import point
from tests.conftest import make_parking, shared_data
from violations.credentials import issue_device_key
from violations.intake.enforcement_load import import_enforcement
from violations.models import (
    Channel,
    ReportSource,
    SensorDevice,
    ViolationReport,
    ViolationType,
)

# 천안 두정동 a few metres from a public car park's disabled bays.
CHEONAN = (127.1395, 36.8335)
PLATE = "12가3456"
ENFORCEMENT_2023 = "kr-public/cheonan_illegal_parking_enforcement_by_location_2023.csv"
ENFORCEMENT_2024 = "kr-public/cheonan_illegal_parking_enforcement_by_location_2024_cp949.csv"


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    """Evidence files go to a temporary private root; public media to another directory."""
    settings.VIOLATIONS_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.VIOLATIONS_PRIVATE_ROOT


def car_photo(
    taken_at: datetime | None, *, with_plate: bool = True, name: str = "p.jpg"
) -> io.BytesIO:
    """A JPEG of a 'car' with a plate-like box (detected by OpenCV's plate cascade) and EXIF time."""
    image = np.full((480, 640, 3), 90, np.uint8)
    cv2.rectangle(image, (120, 200), (520, 420), (40, 40, 160), -1)
    if with_plate:
        cv2.rectangle(image, (250, 340), (400, 374), (245, 245, 245), -1)
        cv2.rectangle(image, (250, 340), (400, 374), (0, 0, 0), 2)
        cv2.putText(image, "12 3456", (260, 366), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 0), 2)
    pil = Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    exif = Image.Exif()
    if taken_at is not None:
        local = timezone.localtime(taken_at)
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = local.strftime("%Y:%m:%d %H:%M:%S")
    out = io.BytesIO()
    pil.save(out, format="JPEG", exif=exif.tobytes())
    out.seek(0)
    out.name = name
    return out


def evidence(gap_s: int = 90, *, ago_min: int = 30) -> list[io.BytesIO]:
    first = timezone.now().replace(microsecond=0) - timedelta(minutes=ago_min)
    return [
        car_photo(first, name="a.jpg"),
        car_photo(first + timedelta(seconds=gap_s), name="b.jpg"),
    ]


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "lon": CHEONAN[0],
        "lat": CHEONAN[1],
        "violation_type": ViolationType.ILLEGAL_PARKING,
        "plate": PLATE,
        "description": "장애인주차구역에 일반 차량",
        "contact_phone": "010-1234-5678",
        "photos": evidence(),
    }
    body.update(overrides)
    return body


@pytest.fixture
def bay(db: Any) -> Any:
    return make_parking(
        geom=point(*CHEONAN), lot_name="두정 공영주차장", disabled_spaces=2, total_spaces=40
    )


def make_report(**overrides: Any) -> ViolationReport:
    values: dict[str, Any] = {
        "geom": point(*CHEONAN),
        "violation_type": ViolationType.ILLEGAL_PARKING,
        "source": ReportSource.CITIZEN,
        "channel": Channel.API,
    }
    values.update(overrides)
    return ViolationReport.objects.create(**values)


@pytest.fixture
def device(bay: Any) -> tuple[SensorDevice, str]:
    sensor = SensorDevice.objects.create(device_id="dujeong-01", name="두정 1번 카메라", spot=bay)
    return sensor, issue_device_key(sensor)


@pytest.fixture
def cheonan_2023(db: Any) -> Any:
    return import_enforcement(shared_data(ENFORCEMENT_2023), commit=True)


@pytest.fixture
def cheonan_2024(db: Any) -> Any:
    return import_enforcement(
        shared_data(ENFORCEMENT_2024),
        commit=True,
        until=datetime(2024, 8, 12, 23, 59, tzinfo=timezone.get_current_timezone()),
    )
