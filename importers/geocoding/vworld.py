"""VWorld geocoder 2.0 (https://www.vworld.kr/dev/v4dv_geocoderguide2_s001.do).

``GET /req/address?service=address&request=getcoord&type=road|parcel&address=...&key=...``;
the answer is ``response.status`` (OK / NOT_FOUND / ERROR) and ``response.result.point.{x,y}``.
Road-name addresses are asked as ``road`` first, lot-number addresses as ``parcel`` first.
"""

from __future__ import annotations

import re
from typing import Any

from importers.geocoding.base import GeocodeResult, GeocoderUnavailable, KeyedGeocoder
from importers.geocoding.http import get_json

_ROAD_ADDRESS = re.compile(r"(로|길)\s*\d")


class VWorldGeocoder(KeyedGeocoder):
    name = "vworld"
    key_setting = "MODUGIL_VWORLD_KEY"

    def geocode(self, address: str) -> GeocodeResult | None:
        kinds = ("road", "parcel") if _ROAD_ADDRESS.search(address) else ("parcel", "road")
        for kind in kinds:
            response = self._ask(address, kind)
            status = response.get("status")
            if status == "OK":
                point = response["result"]["point"]
                refined = (response.get("refined") or {}).get("text", "")
                return GeocodeResult(float(point["x"]), float(point["y"]), self.name, refined)
            if status == "ERROR":
                error = response.get("error") or {}
                raise GeocoderUnavailable(
                    f"vworld: {error.get('code', 'ERROR')} {error.get('text', '')}".strip(),
                    fields={"vworld": [str(error.get("code", "ERROR"))]},
                )
        return None

    def _ask(self, address: str, kind: str) -> dict[str, Any]:
        data = get_json(
            self.name,
            f"{self.base_url}/req/address",
            {
                "service": "address",
                "request": "getcoord",
                "version": "2.0",
                "crs": "epsg:4326",
                "address": address,
                "refine": "true",
                "simple": "false",
                "format": "json",
                "type": kind,
                "key": self.key,
            },
            timeout_s=self.timeout_s,
        )
        return data.get("response") or {}
