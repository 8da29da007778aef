"""Geocoding for address-only rows: a chain of providers, local first, remote when keyed.

Order: the record's own location if it is already stored (re-imports), then the local
fallback (addresses already in the database), then cached remote answers, then Kakao and
VWorld when their keys are configured. Providers that fail are switched off for the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point

from importers.geocoding.address import normalize_address
from importers.geocoding.base import Geocoder, GeocodeResult, GeocoderUnavailable
from importers.geocoding.kakao import KakaoGeocoder
from importers.geocoding.local import LocalGeocoder
from importers.geocoding.vworld import VWorldGeocoder
from importers.models import GeocodeCache
from importers.records import Record

__all__ = ["GeocodeResult", "Geocoder", "GeocoderChain", "GeocoderUnavailable", "build_chain"]


@dataclass
class GeocoderChain:
    local: LocalGeocoder | None
    remote: list[Geocoder] = field(default_factory=list)
    setup_notes: list[str] = field(default_factory=list)  # reported once geocoding is needed
    run_notes: list[str] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)
    used: bool = False

    @property
    def notes(self) -> list[str]:
        return [*self.setup_notes, *self.run_notes] if self.used else self.run_notes

    def learn(self, record: Record) -> None:
        """A located row teaches the local geocoder its address."""
        address = record.values.get("address")
        if self.local is not None and address and record.geom is not None:
            self.local.learn(address, record.geom)

    def locate(self, record: Record, dataset: str) -> tuple[GEOSGeometry, str] | None:
        """A geometry for an address-only record and who found it, or ``None``."""
        self.used = True
        stored = (
            record.model.all_objects.filter(  # type: ignore[attr-defined]
                source_dataset=dataset, source_ref=record.key
            )
            .values_list("geom", flat=True)
            .first()
        )
        if stored is not None:
            return stored, "existing"
        for address in record.addresses:
            found = self.geocode(address)
            if found is not None:
                return Point(found.lon, found.lat, srid=4326), found.provider
        return None

    def geocode(self, address: str) -> GeocodeResult | None:
        if not address.strip():
            return None
        if self.local is not None:
            found = self.local.geocode(address)
            if found is not None:
                return found
        query = normalize_address(address)[:300]
        for provider in self.remote:
            if provider.name in self.disabled:
                continue
            cached = GeocodeCache.objects.filter(provider=provider.name, query=query).first()
            if cached is not None:
                if cached.found:
                    return GeocodeResult(cached.lon, cached.lat, provider.name, cached.matched)  # type: ignore[arg-type]
                continue
            try:
                found = provider.geocode(address)
            except GeocoderUnavailable as e:
                self.disabled.add(provider.name)
                self.run_notes.append(
                    f"geocoder {provider.name} switched off for this run: {e.message}"
                )
                continue
            GeocodeCache.objects.update_or_create(
                provider=provider.name,
                query=query,
                defaults={
                    "found": found is not None,
                    "lon": found.lon if found else None,
                    "lat": found.lat if found else None,
                    "matched": (found.matched if found else "")[:300],
                },
            )
            if found is not None:
                return found
        return None


def build_chain(names: list[str] | None = None) -> GeocoderChain:
    """The configured providers (``settings.IMPORTERS_GEOCODERS``); unkeyed ones are noted."""
    chain = GeocoderChain(local=None)
    timeout_s = settings.IMPORTERS_GEOCODE_TIMEOUT_S
    for name in names if names is not None else settings.IMPORTERS_GEOCODERS:
        if name == "local":
            chain.local = LocalGeocoder()
        elif name == "kakao":
            if settings.IMPORTERS_KAKAO_REST_KEY:
                chain.remote.append(
                    KakaoGeocoder(
                        settings.IMPORTERS_KAKAO_REST_KEY, settings.IMPORTERS_KAKAO_URL, timeout_s
                    )
                )
            else:
                chain.setup_notes.append(
                    "geocoder kakao not used: MODUGIL_KAKAO_REST_KEY is not set"
                )
        elif name == "vworld":
            if settings.IMPORTERS_VWORLD_KEY:
                chain.remote.append(
                    VWorldGeocoder(
                        settings.IMPORTERS_VWORLD_KEY, settings.IMPORTERS_VWORLD_URL, timeout_s
                    )
                )
            else:
                chain.setup_notes.append("geocoder vworld not used: MODUGIL_VWORLD_KEY is not set")
    return chain
