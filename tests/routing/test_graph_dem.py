"""DEM grades on Mapo-Gongdeok edges against a hand computation on the 90 m Seoul DEM."""

from __future__ import annotations

import math

import numpy as np
import pytest
import rasterio
from pyproj import CRS, Transformer
from rasterio.windows import Window
from shapely.geometry import LineString

from routing.graph.contract import GRADE_SOURCE, KIND
from routing.graph.graph import PedestrianGraph
from tests.conftest import shared_data
from tests.routing.conftest import DEM


def _elevation_by_hand(
    src: rasterio.DatasetReader, to_dem: Transformer, lon: float, lat: float
) -> float:
    """Bilinear interpolation between the four surrounding cell centres, spelled out."""
    x, y = to_dem.transform(lon, lat)
    col, row = ~src.transform @ (x, y)
    col, row = col - 0.5, row - 0.5  # cell centres
    c0, r0 = math.floor(col), math.floor(row)
    (z00, z01), (z10, z11) = src.read(1, window=Window(c0, r0, 2, 2)).astype(float)
    fx, fy = col - c0, row - r0
    top = z00 * (1 - fx) + z01 * fx
    bottom = z10 * (1 - fx) + z11 * fx
    return top * (1 - fy) + bottom * fy


def _steepest_window_by_hand(
    src: rasterio.DatasetReader, coords: np.ndarray, metric: CRS
) -> tuple[float, float]:
    """Samples every <= 5 m along the line in EPSG:5179, steepest ~10 m window up and down."""
    to_metric = Transformer.from_crs(4326, metric, always_xy=True)
    to_lonlat = Transformer.from_crs(metric, 4326, always_xy=True)
    to_dem = Transformer.from_crs(4326, src.crs.to_wkt(), always_xy=True)
    line = LineString(np.column_stack(to_metric.transform(coords[:, 0], coords[:, 1])))
    count = max(2, math.ceil(line.length / 5) + 1)
    step = line.length / (count - 1)
    width = min(count - 1, max(1, round(10 / step)))
    z = []
    for k in range(count):
        point = line.interpolate(k * step)
        z.append(_elevation_by_hand(src, to_dem, *to_lonlat.transform(point.x, point.y)))
    grades = [(z[k + width] - z[k]) / (width * step) * 100 for k in range(count - width)]
    return max(0.0, max(grades)), max(0.0, -min(grades))


@pytest.fixture(scope="module")
def dem() -> rasterio.DatasetReader:
    with rasterio.open(shared_data(DEM)) as src:
        yield src


def _sample_edges(graph: PedestrianGraph) -> list[int]:
    edges = graph.edges
    usable = np.flatnonzero(
        ~edges["reversed"] & (edges["grade_source"] == GRADE_SOURCE.index("dem"))
    )
    by_length = usable[np.argsort(edges["length_m"][usable])]
    return [int(by_length[len(by_length) // 2]), int(by_length[-1]), int(by_length[-40])]


def test_mean_grade_matches_hand_computation(
    mapo_graph: PedestrianGraph, dem: rasterio.DatasetReader
) -> None:
    to_dem = Transformer.from_crs(4326, dem.crs.to_wkt(), always_xy=True)
    for edge in _sample_edges(mapo_graph):
        coords = mapo_graph.edge_coords(edge)
        start = _elevation_by_hand(dem, to_dem, *coords[0])
        end = _elevation_by_hand(dem, to_dem, *coords[-1])
        expected = (end - start) / float(mapo_graph.edges["length_m"][edge]) * 100
        assert mapo_graph.edges["grade_mean_pct"][edge] == pytest.approx(expected, abs=1e-3)
        u = mapo_graph.edges["u"][edge]
        assert mapo_graph.nodes["elevation_m"][u] == pytest.approx(start, abs=1e-3)


def test_steepest_window_matches_hand_computation(
    mapo_graph: PedestrianGraph, dem: rasterio.DatasetReader
) -> None:
    metric = CRS.from_epsg(5179)
    for edge in _sample_edges(mapo_graph):
        up, down = _steepest_window_by_hand(dem, mapo_graph.edge_coords(edge), metric)
        assert mapo_graph.edges["grade_max_up_pct"][edge] == pytest.approx(up, abs=0.02)
        assert mapo_graph.edges["grade_max_down_pct"][edge] == pytest.approx(down, abs=0.02)


def test_grade_confidence_is_low_on_a_90m_dem(mapo_graph: PedestrianGraph) -> None:
    edges = mapo_graph.edges
    dem = edges["grade_source"] == GRADE_SOURCE.index("dem")
    assert mapo_graph.meta["dem"]["cell_size_m"] == pytest.approx(90.0)
    assert edges["grade_confidence"][dem].max() <= 0.12
    assert edges["grade_confidence"][dem].min() > 0.05


def test_bridges_tunnels_and_covered_ways_are_skipped(mapo_graph: PedestrianGraph) -> None:
    edges = mapo_graph.edges
    structure = (edges["structure"] != 0) & (edges["kind"] != KIND.index("elevator"))
    assert structure.any()
    assert (edges["grade_source"][structure] == GRADE_SOURCE.index("structure")).all()
    assert np.isnan(edges["grade_max_up_pct"][structure]).all()


def test_grades_are_sampled_in_a_korean_metric_crs(mapo_graph: PedestrianGraph) -> None:
    assert mapo_graph.meta["dem"]["metric_crs"] == "EPSG:5179"
    assert mapo_graph.meta["dem"]["sample_m"] <= 5
