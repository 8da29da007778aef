"""Geocoding for address-only rows: a chain of providers, local first, remote when keyed.

Order: the record's own location if it is already stored (re-imports), then the local
fallback (addresses already in the database), then cached remote answers, then Kakao and
VWorld when their keys are configured. Providers that fail are switched off for the run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point

from importers.geocoding.address import normalize_address
from importers.geocoding.base import Geocoder, GeocodeResult, GeocoderUnavailable, KeyedGeocoder
from importers.geocoding.kakao import KakaoGeocoder
from importers.geocoding.local import LocalGeocoder
from importers.geocoding.vworld import VWorldGeocoder
from importers.models import GeocodeCache
from importers.records import Record

__all__ = ["GeocodeResult", "Geocoder", "GeocoderChain", "GeocoderUnavailable", "build_chain"]


@dataclass
class GeocoderChain:
    local: LocalGeocoder | None
    remote: list[KeyedGeocoder] = field(default_factory=list)
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

    def locate_many(
        self, records: list[Record], default_dataset: str
    ) -> dict[int, tuple[GEOSGeometry, str]]:
        """{index in ``records``: (geometry, who found it)} for the records that could be placed.

        A record already stored under its key keeps its location (one query per model and
        dataset); the others go through the providers address by address.
        """
        self.used = True
        stored = stored_locations(records, default_dataset)
        found: dict[int, tuple[GEOSGeometry, str]] = {}
        for index, record in enumerate(records):
            ident = (record.label, record.dataset or default_dataset, record.key)
            located = (stored[ident], "existing") if ident in stored else self.locate(record)
            if located is not None:
                found[index] = located
        return found

    def locate(self, record: Record) -> tuple[GEOSGeometry, str] | None:
        """A geometry for an address-only record from its addresses, or ``None``."""
        self.used = True
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


def stored_locations(
    records: list[Record], default_dataset: str
) -> dict[tuple[str, str, str], GEOSGeometry]:
    """Where the records already stored under the same keys are."""
    groups: dict[tuple[Any, str], list[str]] = defaultdict(list)
    for record in records:
        groups[(record.model, record.dataset or default_dataset)].append(record.key)
    stored: dict[tuple[str, str, str], GEOSGeometry] = {}
    for (model, dataset), keys in groups.items():
        rows = model.all_objects.filter(source_dataset=dataset, source_ref__in=keys)
        for key, geom in rows.values_list("source_ref", "geom"):
            stored[(model._meta.label, dataset, key)] = geom
    return stored


# provider -> (adapter, settings holding its key and its base URL)
REMOTE: dict[str, tuple[type[KeyedGeocoder], str, str]] = {
    "kakao": (KakaoGeocoder, "IMPORTERS_KAKAO_REST_KEY", "IMPORTERS_KAKAO_URL"),
    "vworld": (VWorldGeocoder, "IMPORTERS_VWORLD_KEY", "IMPORTERS_VWORLD_URL"),
}


def build_chain(names: list[str] | None = None) -> GeocoderChain:
    """The configured providers (``settings.IMPORTERS_GEOCODERS``); unkeyed ones are noted."""
    chain = GeocoderChain(local=None)
    for name in names if names is not None else settings.IMPORTERS_GEOCODERS:
        if name == "local":
            chain.local = LocalGeocoder()
            continue
        adapter, key_setting, url_setting = REMOTE[name]
        key = getattr(settings, key_setting)
        if key:
            url = getattr(settings, url_setting)
            chain.remote.append(adapter(key, url, settings.IMPORTERS_GEOCODE_TIMEOUT_S))
        else:
            chain.setup_notes.append(f"geocoder {name} not used: {adapter.key_setting} is not set")
    return chain
