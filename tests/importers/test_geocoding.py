"""Geocoding address-only rows: Kakao and VWorld adapters against a local server that answers
in their formats (never the internet), the key-free local fallback, the cache and the queue."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command

from importers.base import run_import
from importers.geocoding import build_chain
from importers.geocoding.address import normalize_address
from importers.geocoding.base import GeocoderUnavailable
from importers.geocoding.kakao import KakaoGeocoder
from importers.geocoding.vworld import VWorldGeocoder
from importers.models import GeocodeCache, PendingGeocode
from importers.registry import get_source
from mapping.models import DisabledParkingSpot
from tests.conftest import make_parking

pytestmark = pytest.mark.django_db

BULDANG = "충청남도 천안시 서북구 불당동 1543"
KAKAO = {  # address -> documents, in the Kakao Local API's shape (x = lon, y = lat, strings)
    BULDANG: [
        {
            "address_name": BULDANG,
            "address_type": "REGION_ADDR",
            "x": "127.106278",
            "y": "36.8083197",
        }
    ],
    "충청남도 천안시": [
        {"address_name": "충남 천안시", "address_type": "REGION", "x": "127.1", "y": "36.8"}
    ],
}
VWORLD = {("parcel", "서울특별시 서초구 양재동 249-12"): ("127.0401", "37.4702")}


class FakeGeocoders(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []
    throttle_once: set[str] = set()

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        FakeGeocoders.requests.append(url.path)
        if url.path == "/v2/local/search/address.json":
            self._kakao(query)
        elif url.path == "/req/address":
            self._vworld(query)
        else:
            self._send(404, {})

    def _kakao(self, query: dict[str, str]) -> None:
        if self.headers.get("Authorization") != "KakaoAK test-key":
            self._send(401, {"errorType": "AccessDeniedError", "message": "wrong appKey"})
            return
        if query["query"] in FakeGeocoders.throttle_once:
            FakeGeocoders.throttle_once.discard(query["query"])
            self._send(429, {"message": "quota"}, {"Retry-After": "0"})
            return
        documents = KAKAO.get(query["query"], [])
        self._send(200, {"meta": {"total_count": len(documents)}, "documents": documents})

    def _vworld(self, query: dict[str, str]) -> None:
        if query.get("key") != "vw-key":
            self._send(
                200,
                {
                    "response": {
                        "status": "ERROR",
                        "error": {"code": "INVALID_KEY", "text": "bad key"},
                    }
                },
            )
            return
        point = VWORLD.get((query["type"], query["address"]))
        if point is None:
            self._send(200, {"response": {"status": "NOT_FOUND"}})
            return
        result = {"crs": "EPSG:4326", "point": {"x": point[0], "y": point[1]}}
        self._send(
            200,
            {"response": {"status": "OK", "refined": {"text": query["address"]}, "result": result}},
        )


@pytest.fixture
def geocoder_server() -> Iterator[str]:
    FakeGeocoders.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGeocoders)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def keyed(settings: Any, geocoder_server: str) -> str:
    settings.IMPORTERS_KAKAO_REST_KEY = "test-key"
    settings.IMPORTERS_KAKAO_URL = geocoder_server
    settings.IMPORTERS_VWORLD_KEY = "vw-key"
    settings.IMPORTERS_VWORLD_URL = geocoder_server
    return geocoder_server


def test_korean_addresses_normalise_to_one_comparable_form() -> None:
    assert normalize_address("서울특별시 서초구 반포대로 13 (서초동)") == "서울 서초구 반포대로 13"
    assert (
        normalize_address("대전광역시  유성구 신성동 211 - 2외7필지") == "대전 유성구 신성동 211-2"
    )
    assert (
        normalize_address("대전광역시 유성구 유성대로729번길 40, (장대동)")
        == "대전 유성구 유성대로729번길 40"
    )


def test_kakao_answers_with_x_as_longitude_and_regions_are_too_coarse(geocoder_server: str) -> None:
    kakao = KakaoGeocoder("test-key", geocoder_server)
    found = kakao.geocode(BULDANG)
    assert found is not None and (found.lon, found.lat) == (127.106278, 36.8083197)
    assert kakao.geocode("충청남도 천안시") is None  # a whole city is not a facility
    assert kakao.geocode("없는 주소") is None
    with pytest.raises(GeocoderUnavailable, match="refused"):
        KakaoGeocoder("wrong-key", geocoder_server).geocode(BULDANG)


def test_kakao_rate_limit_is_retried(geocoder_server: str) -> None:
    FakeGeocoders.throttle_once = {BULDANG}
    found = KakaoGeocoder("test-key", geocoder_server).geocode(BULDANG)
    assert found is not None and FakeGeocoders.requests.count("/v2/local/search/address.json") == 2


def test_vworld_tries_parcel_then_road_and_reports_a_bad_key(geocoder_server: str) -> None:
    vworld = VWorldGeocoder("vw-key", geocoder_server)
    found = vworld.geocode("서울특별시 서초구 양재동 249-12")
    assert found is not None and (found.lon, found.lat) == (127.0401, 37.4702)
    assert vworld.geocode("서울특별시 서초구 없는동 1") is None
    with pytest.raises(GeocoderUnavailable, match="INVALID_KEY"):
        VWorldGeocoder("nope", geocoder_server).geocode("서울특별시 서초구 양재동 249-12")


def test_the_chain_uses_local_first_caches_remote_answers_and_switches_off_a_refused_key(
    keyed: str, settings: Any
) -> None:
    make_parking(address="천안시 서북구 검은들 1길 15", geom=_point(127.1095, 36.8112))
    chain = build_chain(["local", "kakao", "vworld"])
    local = chain.geocode("천안시 서북구 검은들 1길 15")
    assert local is not None and local.provider == "local" and FakeGeocoders.requests == []
    remote = chain.geocode(BULDANG)
    assert remote is not None and remote.provider == "kakao"
    assert chain.geocode(BULDANG) == remote and len(FakeGeocoders.requests) == 1  # cached
    assert GeocodeCache.objects.get(provider="kakao").found
    settings.IMPORTERS_KAKAO_REST_KEY = "wrong-key"
    refused = build_chain(["kakao", "vworld"])
    assert refused.geocode("서울특별시 서초구 양재동 249-12") is not None  # vworld still answers
    assert any("kakao switched off" in note for note in refused.notes)


def test_an_unkeyed_provider_is_noted_not_called(settings: Any) -> None:
    settings.IMPORTERS_KAKAO_REST_KEY = ""
    chain = build_chain(["local", "kakao"])
    assert [g.name for g in chain.remote] == []
    assert chain.setup_notes == ["geocoder kakao not used: MODUGIL_KAKAO_REST_KEY is not set"]


def _point(lon: float, lat: float) -> Any:
    from django.contrib.gis.geos import Point

    return Point(lon, lat, srid=4326)


def _address_only(tmp_path: Path) -> Path:
    path = tmp_path / "cheonan.csv"
    rows = [
        "구분,주차장명,주소,총면수,장애인전용,임산부용,경차전용,전기차충전,사용제한,위도,경도",
        f"무료,불당 제5공영주차장,{BULDANG},130,8,0,0,0,0,,",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_pending_rows_are_located_once_a_key_is_configured(
    tmp_path: Path, keyed: str, settings: Any
) -> None:
    settings.IMPORTERS_KAKAO_REST_KEY = ""
    settings.IMPORTERS_VWORLD_KEY = ""
    first = run_import(get_source("cheonan_parking"), _address_only(tmp_path), commit=True)
    assert first.counts["needs_geocoding"] == 1 and DisabledParkingSpot.objects.count() == 0
    assert PendingGeocode.objects.get().status == "pending"

    settings.IMPORTERS_KAKAO_REST_KEY = "test-key"
    call_command("geocode_pending", "--commit", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123

    spot = DisabledParkingSpot.objects.get()
    assert (spot.geom.x, spot.geom.y) == (127.106278, 36.8083197)
    assert (spot.source_dataset, spot.disabled_spaces) == ("cheonan_parking", 8)
    pending = PendingGeocode.objects.get()
    assert (pending.status, pending.resolved_by) == ("resolved", "kakao")
    again = run_import(get_source("cheonan_parking"), _address_only(tmp_path), commit=True)
    assert again.counts["unchanged"] == 1 and "geocoded:existing" in again.outcomes[0].flags


def test_an_official_places_a_pending_row_by_hand(
    tmp_path: Path, client_for: Any, official: Any, minji: Any
) -> None:
    run_import(get_source("cheonan_parking"), _address_only(tmp_path), commit=True, geocode=False)
    pending = PendingGeocode.objects.get()
    url = f"/api/imports/pending/{pending.pk}/locate/"
    assert (
        client_for(minji).post(url, {"lon": 127.1063, "lat": 36.8083}, format="json").status_code
        == 403
    )
    listed = client_for(official).get("/api/imports/pending/")
    assert listed.status_code == 200 and listed.json()["results"][0]["key"] == pending.key
    swapped = client_for(official).post(url, {"lon": 36.8083, "lat": 127.1063}, format="json")
    assert swapped.status_code == 400 and "swapped" in json.dumps(
        swapped.json(), ensure_ascii=False
    )
    placed = client_for(official).post(url, {"lon": 127.1063, "lat": 36.8083}, format="json")
    assert placed.status_code == 200 and placed.json()["counts"]["created"] == 1
    spot = DisabledParkingSpot.objects.get()
    assert (spot.geom.x, spot.geom.y) == (127.1063, 36.8083) and spot.disabled_spaces == 8
    assert PendingGeocode.objects.get().resolved_by == "manual"
