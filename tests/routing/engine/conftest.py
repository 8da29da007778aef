"""Fixtures for the routing engine: saved graphs of the real extracts in a session directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from routing.graph import store
from routing.graph.build import build_graph
from routing.graph.graph import PedestrianGraph
from tests.conftest import shared_data
from tests.routing.conftest import HELSINKI, MAPO


@pytest.fixture(scope="session")
def saved_graphs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Helsinki and Mapo-Gongdeok arrays saved and activated once (no PostGIS rows needed)."""
    root = tmp_path_factory.mktemp("routing-graphs")
    for name, source in (("helsinki", HELSINKI), ("mapo", MAPO)):
        graph = build_graph(shared_data(source))
        store.save_graph(graph, root / name / graph.meta["build_id"])
        (root / name / "CURRENT").write_text(graph.meta["build_id"], encoding="utf-8")
    return root


@pytest.fixture
def routing_graphs(saved_graphs: Path, settings: Any) -> Iterator[Path]:
    settings.ROUTING_GRAPH_DIR = saved_graphs
    store.clear_cache()
    yield saved_graphs
    store.clear_cache()


@pytest.fixture
def helsinki(routing_graphs: Path) -> PedestrianGraph:
    return store.get_graph("helsinki")
