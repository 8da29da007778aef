"""The import and export API: who may do what, clear 4xx bodies, files that open, documented."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from importers.models import ImportRun
from mapping.models import DisabledParkingSpot
from tests.conftest import make_parking, make_place

pytestmark = pytest.mark.django_db

CSV = (
    "구분,주차장명,주소,총면수,장애인전용,임산부용,경차전용,전기차충전,사용제한,위도,경도\n"
    "무료,불당 주차장,천안시 서북구 1,40,2,0,0,0,0,36.81,127.11\n"
    "무료,많은 장애인석,천안시 서북구 2,10,20,0,0,0,0,36.81,127.11\n"
)


def _upload(content: str = CSV, name: str = "cheonan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode("cp949"), content_type="text/csv")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_an_official_dry_runs_then_commits_an_upload(client_for: Any, official: Any) -> None:
    client = client_for(official)
    dry = client.post(
        "/api/imports/", {"source": "cheonan_parking", "file": _upload()}, format="multipart"
    )
    assert dry.status_code == 200 and dry.json()["committed"] is False
    assert dry.json()["counts"]["created"] == 1 and dry.json()["counts"]["rejected"] == 1
    problem = dry.json()["problems"][0]
    assert problem["row"] == 3 and "disabled_spaces" in problem["errors"]
    assert DisabledParkingSpot.objects.count() == 0
    wet = client.post(
        "/api/imports/",
        {"source": "cheonan_parking", "file": _upload(), "commit": "true"},
        format="multipart",
    )
    assert wet.status_code == 201 and DisabledParkingSpot.objects.count() == 1
    run = ImportRun.objects.get(pk=wet.json()["run"])
    assert run.user == official and run.committed
    runs = client.get("/api/imports/runs/")
    assert runs.status_code == 200 and runs.json()["results"][0]["id"] == run.pk


def test_volunteers_and_strangers_cannot_import(
    client_for: Any, minji: Any, leader: Any, anon: Any
) -> None:
    for client in (anon, client_for(minji), client_for(leader)):
        response = client.post(
            "/api/imports/", {"source": "cheonan_parking", "file": _upload()}, format="multipart"
        )
        assert response.status_code in (401, 403)
    assert client_for(minji).get("/api/imports/runs/").status_code == 403
    assert ImportRun.objects.count() == 0


def test_bad_uploads_get_a_4xx_naming_the_field(
    client_for: Any, official: Any, settings: Any
) -> None:
    client = client_for(official)
    unknown = client.post(
        "/api/imports/", {"source": "nope", "file": _upload()}, format="multipart"
    )
    assert unknown.status_code == 400 and "source" in unknown.json()["errors"]
    settings.IMPORTERS_MAX_UPLOAD_BYTES = 10
    too_big = client.post(
        "/api/imports/", {"source": "cheonan_parking", "file": _upload()}, format="multipart"
    )
    assert too_big.status_code == 400 and "limit" in too_big.json()["errors"]["file"][0]
    settings.IMPORTERS_MAX_UPLOAD_BYTES = 10_000
    renamed = CSV.replace("주차장명", "이름")
    missing = client.post(
        "/api/imports/", {"source": "cheonan_parking", "file": _upload(renamed)}, format="multipart"
    )
    assert missing.status_code == 400 and missing.json()["code"] == "import_failed"
    assert "주차장명" in missing.json()["errors"]


def test_anyone_downloads_open_formats_with_credits(anon: Any) -> None:
    make_place(name="열린 카페", osm_type="node", osm_id=99, osm_version=2, source="osm")
    make_parking()
    response = anon.get("/api/exports/geojson/?layer=places")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"].startswith('attachment; filename="modugil-')
    document = json.loads(_body(response))
    assert [f["properties"]["name"] for f in document["features"]] == ["열린 카페"]
    assert document["attribution"][0]["license"].endswith("odbl/1-0/")
    csv_text = _body(anon.get("/api/exports/csv/?layer=parking")).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("lon,lat,wkt,kind,id,source_dataset")
    a11y = json.loads(_body(anon.get("/api/exports/a11yjson/")))
    assert {f["properties"]["category"] for f in a11y["features"]} == {"cafe", "parking"}
    gpkg = _body(anon.get("/api/exports/gpkg/?layer=places"))
    assert gpkg[:16] == b"SQLite format 3\x00"


def test_export_parameters_are_checked(anon: Any, client_for: Any, official: Any) -> None:
    assert anon.get("/api/exports/shapefile/").status_code == 404
    bad_bbox = anon.get("/api/exports/geojson/?bbox=1,2,3")
    assert bad_bbox.status_code == 400 and "bbox" in bad_bbox.json()["errors"]
    assert anon.get("/api/exports/geojson/?layer=roads").status_code == 400
    two = anon.get("/api/exports/csv/?layer=places&layer=parking")
    assert two.status_code == 400 and "layer" in two.json()["errors"]
    assert anon.get("/api/exports/geojson/?include_rejected=true").status_code == 403
    assert (
        client_for(official).get("/api/exports/geojson/?include_rejected=true").status_code == 200
    )


def test_bulk_exports_are_throttled_except_for_officials(
    anon: Any, client_for: Any, official: Any, settings: Any
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.IMPORTERS_EXPORT_RATE = "2/min"
    codes = [anon.get("/api/exports/geojson/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert [client_for(official).get("/api/exports/geojson/").status_code for _ in range(3)] == [
        200
    ] * 3
    cache.clear()


def test_the_catalogue_and_the_openapi_schema_document_the_exports(anon: Any) -> None:
    catalogue = anon.get("/api/exports/").json()
    assert {f["name"] for f in catalogue["formats"]} == {
        "geojson",
        "csv",
        "gpkg",
        "a11yjson",
        "osmchange",
    }
    assert (
        next(f for f in catalogue["formats"] if f["name"] == "osmchange")["official_only"] is True
    )
    schema = anon.get("/api/schema/?format=json").json()
    download = schema["paths"]["/api/exports/{export_format}/"]["get"]
    assert set(download["responses"]["200"]["content"]) == {
        "application/geo+json",
        "text/csv",
        "application/geopackage+sqlite3",
        "application/json",
        "application/xml",
    }
    assert (
        "/api/imports/" in schema["paths"]
        and "/api/imports/pending/{id}/locate/" in schema["paths"]
    )
