"""Every importer source by name: the management command and the demo loader look here."""

from __future__ import annotations

from importers.base import Source
from importers.osm.pois import OsmPoisSource
from importers.sources.kr_public import (
    CheonanDisabledParking,
    SeochoAccessibleStores,
    SeochoFacilitiesGeocoded,
)

SOURCES: dict[str, type[Source]] = {
    cls.name: cls
    for cls in (
        OsmPoisSource,
        SeochoAccessibleStores,
        SeochoFacilitiesGeocoded,
        CheonanDisabledParking,
    )
}


def get_source(name: str) -> Source:
    from importers.errors import ImporterError

    if name not in SOURCES:
        raise ImporterError(
            f"Unknown source {name!r}; known: {', '.join(sorted(SOURCES))}",
            fields={"source": ["Unknown source."]},
        )
    return SOURCES[name]()
