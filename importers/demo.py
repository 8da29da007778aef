"""The demo area: real Seoul OSM extracts and Korean public data, loaded through the importers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from importers.base import ImportReport, file_sha256, run_import
from importers.errors import ImporterError
from importers.fetch import data_file
from importers.models import ImportRun
from importers.registry import get_source


@dataclass(frozen=True)
class DemoStep:
    source: str
    path: str
    osm: bool = False


DEMO_STEPS = (
    DemoStep("osm", "osm/seoul_yeouido.osm.pbf", osm=True),
    DemoStep("osm", "osm/seoul_mapo_gongdeok.osm", osm=True),
    DemoStep("seocho_stores", "kr-public/seoul_seocho_accessible_stores_cp949.csv"),
    DemoStep(
        "seocho_facilities_geocoded",
        "kr-public/seoul_seocho_disabled_convenience_facilities_geocoded.csv",
    ),
    DemoStep(
        "cheonan_parking", "kr-public/cheonan_public_parking_disabled_spaces_20250716_cp949.csv"
    ),
)


def load_demo(say: Callable[[str], None], *, force: bool = False) -> list[ImportReport]:
    """Import every demo step once; a file already committed with the same hash is skipped."""
    reports = []
    for step in DEMO_STEPS:
        try:
            path = data_file(step.path, url=settings.OSM_DOWNLOAD_URL if step.osm else None)
        except ImporterError as e:
            say(f"skipped {step.path}: {e.message}")
            continue
        done = ImportRun.objects.filter(
            source=step.source, sha256=file_sha256(path), committed=True, status=ImportRun.Status.OK
        ).exists()
        if done and not force:
            say(f"{step.path}: already loaded")
            continue
        report = run_import(get_source(step.source), path, commit=True)
        say(f"{step.path}: {report.counts}")
        reports.append(report)
    return reports
