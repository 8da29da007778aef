"""Who to credit for exported data. OSM-derived rows carry the ODbL notice wherever they go."""

from __future__ import annotations

from django.conf import settings

ODBL = "https://opendatacommons.org/licenses/odbl/1-0/"
OSM = settings.OSM_ATTRIBUTION
PUBLIC_DATA = "공공데이터포털(data.go.kr) 및 지방자치단체 공개 자료"
PROJECT_SIDEWALK = "Project Sidewalk (makeabilitylab/ProjectSidewalk), via its public API"
MODUGIL = "modugil contributors"


def attribution_for(source: str, dataset: str, osm_id: int | None = None) -> str:
    """The credit line for one exported row."""
    if source == "osm" or osm_id is not None:
        return OSM
    if dataset.startswith("projectsidewalk"):
        return PROJECT_SIDEWALK
    if source == "public_data":
        return PUBLIC_DATA
    return MODUGIL


def licence_for(attribution: str) -> str:
    return ODBL if attribution == OSM else ""


def notice(attributions: set[str]) -> list[dict[str, str]]:
    """Document-level credits: every distinct attribution with its licence URL (if any)."""
    return [{"attribution": a, "license": licence_for(a)} for a in sorted(attributions)]
