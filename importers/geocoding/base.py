"""The geocoding interface: one method, a result with its provider, and a way to say 'off'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from importers.errors import ImporterError


@dataclass(frozen=True)
class GeocodeResult:
    lon: float
    lat: float
    provider: str
    matched: str = ""


class Geocoder(Protocol):
    name: str

    def geocode(self, address: str) -> GeocodeResult | None:
        """A location for ``address``, or ``None`` when the provider does not know it."""
        ...


class KeyedGeocoder:
    """A remote geocoder: an API key, a base URL (settings; tests point it at 127.0.0.1)."""

    name: ClassVar[str]
    key_setting: ClassVar[str]  # the environment variable that holds the key

    def __init__(self, key: str, base_url: str, timeout_s: float = 10.0):
        self.key = key
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s

    def geocode(self, address: str) -> GeocodeResult | None:
        raise NotImplementedError


class GeocoderUnavailable(ImporterError):
    """The provider cannot answer at all (no key, key refused, service down): skip it."""

    code = "geocoder_unavailable"
