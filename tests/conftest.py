"""Shared test world: named personas, builders, and API clients, all against real PostGIS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.cache import caches
from rest_framework.test import APIClient

from accounts.models import Role, User
from mapping.models import AccessibilityFeature, DisabledParkingSpot, Entrance, Place, Source
from tests.browser import chromium

# Yeouido, Seoul: the demo area; every builder defaults to a point here.
YEOUIDO = (126.9245, 37.5265)


def _user(username: str, role: Role, display: str) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, role=role, display_name=display
    )
    return user


@pytest.fixture(autouse=True)
def empty_tile_cache(settings: Any) -> None:
    # An in-memory tile cache of the tests' own (never the files a running server uses), emptied
    # for each test: every test rolls its data back, so layer versions repeat across tests.
    settings.CACHES = {
        **settings.CACHES,
        "tiles": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    }
    caches["tiles"].clear()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium for the browser tests of one module (see tests/browser.py)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def minji(db: Any) -> User:
    """Minji, a volunteer who maps kerbs on her way to work."""
    return _user("minji", Role.VOLUNTEER, "민지")


@pytest.fixture
def junho(db: Any) -> User:
    """Junho, another volunteer: he validates Minji's work."""
    return _user("junho", Role.VOLUNTEER, "준호")


@pytest.fixture
def leader(db: Any) -> User:
    """Sooyoung, the resident leader of a 스스로해결단 team."""
    return _user("sooyoung", Role.TEAM_LEADER, "수영")


@pytest.fixture
def official(db: Any) -> User:
    """Mr Park, a district official who reviews contributions."""
    return _user("park", Role.OFFICIAL, "박주무관")


@pytest.fixture
def admin_user(db: Any) -> User:
    user = _user("root", Role.ADMIN, "관리자")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def client_for() -> Callable[[User | None], APIClient]:
    def make(user: User | None) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def anon() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def make_feature(**overrides: Any) -> AccessibilityFeature:
    values: dict[str, Any] = {
        "feature_type": "kerb",
        "geom": Point(*YEOUIDO, srid=4326),
        "source": Source.SURVEY,
        "kerb": "lowered",
        "kerb_height_cm": 2.0,
    }
    values.update(overrides)
    feature = AccessibilityFeature(**values)
    feature.save()
    return feature


def make_place(entrances: list[dict[str, Any]] | None = None, **overrides: Any) -> Place:
    values: dict[str, Any] = {
        "name": "여의도 카페",
        "category": "cafe",
        "geom": Point(*YEOUIDO, srid=4326),
        "source": Source.SURVEY,
    }
    values.update(overrides)
    place = Place.objects.create(**values)
    for entrance in entrances or []:
        Entrance.objects.create(place=place, **entrance)
    return place


def make_parking(**overrides: Any) -> DisabledParkingSpot:
    values: dict[str, Any] = {
        "geom": Point(*YEOUIDO, srid=4326),
        "source": Source.PUBLIC_DATA,
        "lot_name": "여의도 공영주차장",
        "disabled_spaces": 4,
        "total_spaces": 120,
    }
    values.update(overrides)
    return DisabledParkingSpot.objects.create(**values)


def geojson_point(lon: float = YEOUIDO[0], lat: float = YEOUIDO[1]) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def wkt(text: str) -> GEOSGeometry:
    return GEOSGeometry(text, srid=4326)


def shared_data(relative: str) -> Path:
    """A file from the shared data directory; skips (with the reason) when the directory is absent."""
    path = Path(settings.DATA_DIR) / relative
    if not str(settings.DATA_DIR) or not path.is_file():
        pytest.skip(f"shared data file {relative} not available (set MODUGIL_DATA_DIR)")
    return path
