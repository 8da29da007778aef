"""OpenSidewalks 0.2: import the Redmond sample as a graph source, export, validate, round-trip."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from importers.errors import ImporterError
from importers.opensidewalks.export import export_osw, validate_osw
from routing.graph.build import build_graph
from routing.graph.contract import GRADE_SOURCE, KERB, KIND
from routing.graph.graph import PedestrianGraph
from tests.conftest import shared_data
from tests.routing.conftest import MAPO, REDMOND, shared_dir


@pytest.fixture(scope="module")
def redmond() -> PedestrianGraph:
    return build_graph(shared_dir(REDMOND))


@pytest.fixture(scope="module")
def exported(redmond: PedestrianGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return export_osw(redmond, tmp_path_factory.mktemp("osw"), name="redmond")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_import_reads_every_edge_and_kerb(redmond: PedestrianGraph) -> None:
    source = _load(shared_dir(REDMOND) / "wa.microsoft.graph.edges.OSW.geojson")
    nodes = _load(shared_dir(REDMOND) / "wa.microsoft.graph.nodes.OSW.geojson")
    assert redmond.segment_count == len(source["features"]) == 4368
    kerbs = Counter(
        f["properties"].get("kerb")
        for f in nodes["features"]
        if f["properties"].get("barrier") == "kerb"
    )
    graph_kerbs = Counter(KERB[k] for k in redmond.nodes["kerb"].tolist() if k >= 0)
    assert graph_kerbs == kerbs  # lowered 645 / raised 91 / flush 21
    steps = sum(1 for f in source["features"] if f["properties"]["highway"] == "steps")
    assert (redmond.segments["forward_edge"] >= 0).all()
    assert (
        redmond.edges["kind"][redmond.segments["forward_edge"]] == KIND.index("steps")
    ).sum() == steps


def test_osw_incline_becomes_a_low_confidence_grade(redmond: PedestrianGraph) -> None:
    source = _load(shared_dir(REDMOND) / "wa.microsoft.graph.edges.OSW.geojson")
    first = source["features"][0]["properties"]
    edges = redmond.edges
    edge = int(redmond.segments["forward_edge"][0])
    assert edges["grade_mean_pct"][edge] == pytest.approx(first["incline"] * 100)
    assert edges["grade_source"][edge] == GRADE_SOURCE.index("opensidewalks")
    assert np.isnan(edges["incline_pct"]).all()  # a DEM-derived value is not an OSM incline tag


def test_export_validates_against_the_schema(exported: dict[str, Path]) -> None:
    for path in exported.values():
        data = _load(path)
        assert data["$schema"] == "https://sidewalks.washington.edu/opensidewalks/0.2/schema.json"
        assert "openstreetmap.org/copyright" in data["dataSource"]["copyright"]
        assert validate_osw(data) == []


def test_reference_validator_agrees_on_every_edge_type(exported: dict[str, Path]) -> None:
    data = _load(exported["edges"])
    sample, seen = [], set()
    for feature in data["features"]:  # one feature of each type, plus every steps edge
        key = (feature["properties"]["highway"], feature["properties"].get("footway"))
        if key not in seen or key[0] == "steps":
            seen.add(key)
            sample.append(feature)
    assert validate_osw({**data, "features": sample}, reference=True) == []
    nodes = _load(exported["nodes"])
    assert validate_osw(nodes, reference=True) == []


def test_invalid_export_is_caught(exported: dict[str, Path]) -> None:
    data = _load(exported["edges"])
    broken = copy.deepcopy(data)
    broken["features"][3]["properties"]["surface"] = "lava"
    assert validate_osw(broken)
    assert validate_osw({**broken, "features": broken["features"][:10]}, reference=True)


def test_round_trip_keeps_the_graph(redmond: PedestrianGraph, exported: dict[str, Path]) -> None:
    again = build_graph(exported["edges"].parent)
    assert again.segment_count == redmond.segment_count
    assert again.node_count == redmond.node_count
    for name in ("kind", "surface", "step_count", "incline_dir", "crossing", "grade_source"):
        assert Counter(again.edges[name].tolist()) == Counter(redmond.edges[name].tolist()), name
    assert Counter(again.nodes["kerb"].tolist()) == Counter(redmond.nodes["kerb"].tolist())
    assert np.nansum(again.edges["grade_mean_pct"] ** 2) == pytest.approx(
        np.nansum(redmond.edges["grade_mean_pct"] ** 2), rel=1e-3
    )
    assert again.edges["length_m"].sum() == pytest.approx(redmond.edges["length_m"].sum(), rel=1e-6)


def test_osm_graph_exports_valid_osw_and_round_trips(tmp_path: Path) -> None:
    mapo = build_graph(shared_data(MAPO))
    paths = export_osw(mapo, tmp_path, name="mapo")
    assert validate_osw(_load(paths["edges"])) == []
    assert validate_osw(_load(paths["nodes"])) == []
    again = build_graph(tmp_path)
    assert Counter(again.edges["kind"].tolist()) == Counter(mapo.edges["kind"].tolist())
    assert Counter(again.edges["surface"].tolist()) == Counter(mapo.edges["surface"].tolist())
    assert Counter(again.edges["structure"].tolist()) == Counter(mapo.edges["structure"].tolist())


def test_missing_edges_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no data")
    with pytest.raises(ImporterError, match="edges"):
        build_graph(tmp_path, fmt="osw")
