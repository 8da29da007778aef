"""Pure hotspot analysis on counts per H3 cell: no database, reused by notebooks and benchmarks.

Cells are H3 indexes as Python ints. Gi* uses binary contiguity between neighbouring hexagons
(each cell and its ring-1 neighbours, self included: Getis-Ord's G*), over the observed cells
and their neighbours, zero-filled, so that an isolated busy cell stands out against quiet ones.
"""

from __future__ import annotations

import warnings

import esda
import h3.api.basic_int as h3i
import numpy as np
import pandas as pd
from libpysal.weights import W
from pyproj import Transformer
from scipy import ndimage
from scipy.stats import norm

# Resolution by map zoom: a hexagon stays roughly 20-60 px across.
ZOOM_TO_RES = {10: 6, 11: 7, 12: 7, 13: 8, 14: 9, 15: 9, 16: 10, 17: 11}
CONFIDENCE_LEVELS = ((0.01, "99"), (0.05, "95"), (0.10, "90"))
TREND_THRESHOLD_PCT = 10.0
METRIC_CRS = "EPSG:5179"


def resolution_for_zoom(zoom: float) -> int:
    z = int(zoom)
    if z < 10:
        return 5 if z >= 8 else 4
    return ZOOM_TO_RES.get(z, 12)


def cells_for_points(lon: np.ndarray, lat: np.ndarray, resolution: int) -> np.ndarray:
    """The cell of each point as the database assigns it: the parent of its resolution-15 cell.

    (H3 children do not tile their parent exactly, so near cell edges this can differ from
    ``latlng_to_cell`` at ``resolution``; using parents keeps every zoom level nested.)
    """
    to_cell, parent = h3i.latlng_to_cell, h3i.cell_to_parent
    return np.fromiter(
        (parent(to_cell(y, x, 15), resolution) for x, y in zip(lon, lat, strict=True)),
        dtype=np.int64,
        count=len(lon),
    )


def hex_counts(frame: pd.DataFrame, resolution: int, weight: str = "cases") -> pd.Series:
    """Sum ``weight`` per H3 cell for a frame with ``lon``, ``lat`` columns."""
    cells = cells_for_points(frame["lon"].to_numpy(), frame["lat"].to_numpy(), resolution)
    return frame[weight].groupby(cells).sum().rename("cases")


def study_region(cells: pd.Series) -> pd.Series:
    """Observed cells plus their ring-1 neighbours (zero where nothing was observed)."""
    region: set[int] = set()
    for cell in cells.index:
        region.update(h3i.grid_disk(int(cell), 1))
    return cells.reindex(sorted(region), fill_value=0).astype(float)


def contiguity(cells: list[int]) -> W:
    """Binary weights: hexagons sharing an edge are neighbours (within the given cells)."""
    present = set(cells)
    neighbours = {c: [n for n in h3i.grid_ring(c, 1) if n in present and n != c] for c in cells}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands are legitimate at the region's edge
        return W(neighbours, silence_warnings=True)


def gistar(counts: pd.Series, *, permutations: int = 0, seed: int | None = 12345) -> pd.DataFrame:
    """Getis-Ord Gi* per cell: z-score, two-sided p-value and a hot/cold class at 90/95/99 %."""
    y = study_region(counts)
    columns = ["cases", "z", "p", "p_sim", "hotspot"]
    if len(y) < 3 or y.sum() == 0 or y.nunique() < 2:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="cell"))
    w = contiguity([int(c) for c in y.index])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = esda.G_Local(
            y.to_numpy(), w, transform="B", star=True, permutations=permutations, seed=seed
        )
    z = np.asarray(g.Zs, dtype=float)
    p = 2 * norm.sf(np.abs(z))
    p_sim = np.asarray(g.p_sim, dtype=float) if permutations else np.full(len(z), np.nan)
    result = pd.DataFrame({"cases": y.to_numpy(), "z": z, "p": p, "p_sim": p_sim}, index=y.index)
    result.index.name = "cell"
    result["hotspot"] = [
        classify(zi, pi if not permutations else ps) for zi, pi, ps in zip(z, p, p_sim, strict=True)
    ]
    return result


def classify(z: float, p: float) -> str:
    """'hot_99' ... 'cold_90' or 'not_significant' (ArcGIS Hot Spot Analysis bins)."""
    if np.isnan(z) or np.isnan(p):
        return "not_significant"
    for level, label in CONFIDENCE_LEVELS:
        if p < level:
            return f"{'hot' if z > 0 else 'cold'}_{label}"
    return "not_significant"


def ranking(current: pd.Series, previous: pd.Series, top: int = 10) -> pd.DataFrame:
    """Top cells by cases, with the previous period's cases and the trend between them."""
    table = pd.DataFrame({"cases": current}).sort_values("cases", ascending=False).head(top)
    table["previous_cases"] = previous.reindex(table.index, fill_value=0).to_numpy()
    table["change"] = table["cases"] - table["previous_cases"]
    prev = table["previous_cases"].replace(0, np.nan)
    table["change_pct"] = (table["change"] / prev * 100).round(1)
    table["trend"] = [
        trend(c, p) for c, p in zip(table["cases"], table["previous_cases"], strict=True)
    ]
    table.index.name = "cell"
    return table


def trend(current: float, previous: float) -> str:
    if previous == 0:
        return "new" if current > 0 else "steady"
    change_pct = (current - previous) / previous * 100
    if change_pct >= TREND_THRESHOLD_PCT:
        return "up"
    if change_pct <= -TREND_THRESHOLD_PCT:
        return "down"
    return "steady"


def kernel_density(
    lon: np.ndarray,
    lat: np.ndarray,
    weights: np.ndarray,
    *,
    bandwidth_m: float = 250.0,
    max_cells: int = 600,
    keep_fraction: float = 0.02,
) -> pd.DataFrame:
    """Gaussian kernel density (binned, in EPSG:5179) in cases per km² at grid-cell centres."""
    if len(lon) == 0:
        return pd.DataFrame(columns=["lon", "lat", "density"])
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    x, y = to_metric.transform(np.asarray(lon), np.asarray(lat))
    pad = 3 * bandwidth_m
    x0, x1, y0, y1 = x.min() - pad, x.max() + pad, y.min() - pad, y.max() + pad
    cell_m = max(bandwidth_m / 4, (x1 - x0) / max_cells, (y1 - y0) / max_cells, 10.0)
    nx, ny = max(1, int(np.ceil((x1 - x0) / cell_m))), max(1, int(np.ceil((y1 - y0) / cell_m)))
    grid, _, _ = np.histogram2d(
        x, y, bins=(nx, ny), range=((x0, x0 + nx * cell_m), (y0, y0 + ny * cell_m)), weights=weights
    )
    smooth = ndimage.gaussian_filter(grid, sigma=bandwidth_m / cell_m, mode="constant")
    density = smooth / (cell_m / 1000) ** 2
    ix, iy = np.nonzero(density >= density.max() * keep_fraction)
    cx, cy = x0 + (ix + 0.5) * cell_m, y0 + (iy + 0.5) * cell_m
    to_wgs = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    out_lon, out_lat = to_wgs.transform(cx, cy)
    frame = pd.DataFrame({"lon": out_lon, "lat": out_lat, "density": density[ix, iy]})
    frame.attrs["cell_m"] = cell_m
    return frame.sort_values("density", ascending=False).reset_index(drop=True)


def cell_polygon(cell: int) -> list[list[float]]:
    """The hexagon's closed ring as GeoJSON [lon, lat] pairs."""
    ring = [[round(lng, 7), round(lat, 7)] for lat, lng in h3i.cell_to_boundary(cell)]
    return [*ring, ring[0]]


def cell_id(cell: int) -> str:
    return str(h3i.int_to_str(cell))
