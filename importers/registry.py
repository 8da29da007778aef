"""Every importer source by name: the management command, the API and the demo loader look here."""

from __future__ import annotations

from importers.base import Source
from importers.errors import ImporterError
from importers.osm.pois import OsmPoisSource
from importers.sources.a11yjson import A11yJsonPlaces, JaccedePlaces
from importers.sources.kr_national import NationalParkingLots, SeoulPublicToilets
from importers.sources.kr_public import (
    CheonanDisabledParking,
    SeochoAccessibleStores,
    SeochoFacilities,
    SeochoFacilitiesGeocoded,
)
from importers.sources.modugil_native import ModugilCsv, ModugilGeoJson, ModugilGeoPackage
from importers.sources.opensidewalks import OpenSidewalksKerbs
from importers.sources.project_sidewalk import ProjectSidewalkLabels, ProjectSidewalkStreets

SOURCES: dict[str, type[Source]] = {
    cls.name: cls
    for cls in (
        OsmPoisSource,
        SeochoAccessibleStores,
        SeochoFacilitiesGeocoded,
        SeochoFacilities,
        CheonanDisabledParking,
        NationalParkingLots,
        SeoulPublicToilets,
        ProjectSidewalkLabels,
        ProjectSidewalkStreets,
        OpenSidewalksKerbs,
        A11yJsonPlaces,
        JaccedePlaces,
        ModugilGeoJson,
        ModugilCsv,
        ModugilGeoPackage,
    )
}


def get_source(name: str) -> Source:
    if name not in SOURCES:
        raise ImporterError(
            f"Unknown source {name!r}; known: {', '.join(sorted(SOURCES))}",
            fields={"source": ["Unknown source."]},
        )
    return SOURCES[name]()
