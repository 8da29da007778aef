"""Photos are re-encoded: EXIF gone (GPS, camera, owner) except orientation; capture time kept."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from mapping.photos import DATETIME_ORIGINAL, EXIF_IFD, ORIENTATION_TAG
from tests.conftest import make_feature

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MAKE = 0x010F


def photo_with_exif() -> io.BytesIO:
    image = Image.new("RGB", (80, 60), "red")
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = 6
    exif[MAKE] = "PhoneCam"
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = "2026:11:20 14:03:05"
    exif.get_ifd(GPS_IFD)[2] = (37.0, 31.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    out.seek(0)
    out.name = "kerb.jpg"
    return out


def test_upload_strips_exif_but_orientation_and_records_capture_time(
    minji, client_for, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    feature = make_feature(observer=minji)
    r = client_for(minji).post(
        f"/api/mapping/features/{feature.pk}/photos/",
        {"image": photo_with_exif(), "caption": "낮은 턱"},
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["taken_at"].startswith("2026-11-20T14:03:05+09:00")
    assert (body["width_px"], body["height_px"]) == (80, 60)
    stored = Image.open(tmp_path / body["url"].split("/media/")[1])
    exif = stored.getexif()
    assert exif.get(ORIENTATION_TAG) == 6
    assert MAKE not in exif and not exif.get_ifd(GPS_IFD) and not exif.get_ifd(EXIF_IFD)
    listed = client_for(None).get(f"/api/mapping/features/{feature.pk}/photos/").json()
    assert [p["key"] for p in listed] == [body["key"]]


def test_a_replayed_upload_with_the_same_client_id_is_stored_once(
    minji, client_for, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    feature = make_feature(observer=minji)
    url = f"/api/mapping/features/{feature.pk}/photos/"
    client_id = "8d3a0f52-1f7e-4a4e-9b55-0c1d2e3f4a5b"
    first = client_for(minji).post(
        url, {"image": photo_with_exif(), "client_id": client_id}, format="multipart"
    )
    again = client_for(minji).post(
        url, {"image": photo_with_exif(), "client_id": client_id}, format="multipart"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["key"] == again.json()["key"]
    assert len(client_for(None).get(url).json()) == 1
    bad = client_for(minji).post(
        url, {"image": photo_with_exif(), "client_id": "not-a-uuid"}, format="multipart"
    )
    assert bad.status_code == 400 and "client_id" in bad.json()["errors"]
