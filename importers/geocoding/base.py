"""The geocoding interface: one method, a result with its provider, and a way to say 'off'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

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


class GeocoderUnavailable(ImporterError):
    """The provider cannot answer at all (no key, key refused, service down): skip it."""

    code = "geocoder_unavailable"
