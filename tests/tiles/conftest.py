"""Helpers for tile tests: fetch a tile of the demo point's neighbourhood and decode it."""

from __future__ import annotations

from typing import Any

import mapbox_vector_tile
import pytest

from tests.conftest import YEOUIDO
from tests.routing.conftest import graph_dir  # noqa: F401 - fixture
from tests.tiles.graph_world import demo_graphs  # noqa: F401 - fixture
from tiles.tilegrid import lonlat_to_tile

Z = 16
TILE = lonlat_to_tile(*YEOUIDO, Z)


def tile_url(layer: str, z: int = Z, lonlat: tuple[float, float] = YEOUIDO, query: str = "") -> str:
    tile = lonlat_to_tile(*lonlat, z)
    return f"/tiles/{layer}/{tile.z}/{tile.x}/{tile.y}.pbf{query}"


def decode(response: Any, layer: str) -> list[dict[str, Any]]:
    """The features of ``layer`` in a 200 response; [] for 204."""
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(response.content)
    return decoded[layer]["features"] if layer in decoded else []


def by_id(features: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {f["id"]: f for f in features}


@pytest.fixture
def signed_in() -> Any:
    """A browser-like client signed in as ``user`` (tiles are plain Django views: session auth)."""
    from django.test import Client

    def make(user: Any) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return make
