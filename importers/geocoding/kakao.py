"""Kakao Local API address search (https://developers.kakao.com/docs/latest/ko/local/dev-guide).

``GET /v2/local/search/address.json?query=...`` with ``Authorization: KakaoAK <REST key>``;
``documents[].x`` is the longitude and ``documents[].y`` the latitude, as strings.
"""

from __future__ import annotations

from importers.geocoding.base import GeocodeResult, KeyedGeocoder
from importers.geocoding.http import get_json

# A whole region or a whole road is not the location of one facility.
TOO_COARSE = ("REGION", "ROAD")


class KakaoGeocoder(KeyedGeocoder):
    name = "kakao"
    key_setting = "MODUGIL_KAKAO_REST_KEY"

    def geocode(self, address: str) -> GeocodeResult | None:
        data = get_json(
            self.name,
            f"{self.base_url}/v2/local/search/address.json",
            {"query": address, "analyze_type": "exact", "size": "5"},
            headers={"Authorization": f"KakaoAK {self.key}"},
            timeout_s=self.timeout_s,
        )
        documents = [
            d for d in data.get("documents") or [] if d.get("address_type") not in TOO_COARSE
        ]
        if not documents:
            return None
        best = documents[0]
        return GeocodeResult(
            float(best["x"]), float(best["y"]), self.name, str(best.get("address_name", ""))
        )
