"""Hotspot layers from the database: the hexagon counts run in PostgreSQL (one GROUP BY).

``hex_table`` is the aggregation other layers (vector tiles) call, ``public_hex_table`` its public
form; the rest builds GeoJSON for the API. Public (anonymous) layers are coarsened and
thresholded here, in one place.
"""

from __future__ import annotations

from typing import Any

import h3.api.basic_int as h3i
import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import BigIntegerField, Count, F, Func, Q, Sum, Value

from mapping.models import DisabledParkingSpot
from violations.hotspots import analysis
from violations.hotspots.filters import HotspotFilter


class H3Parent(Func):
    """SQL ``violations_h3_parent(cell, res)`` (migration 0002)."""

    function = "violations_h3_parent"
    output_field = BigIntegerField()


def _cell(resolution: int) -> H3Parent:
    return H3Parent(F("h3_r15"), Value(resolution))


def hex_table(filters: HotspotFilter, resolution: int) -> pd.DataFrame:
    """Cases, reports and cases linked to a bay per H3 cell at ``resolution`` (index: cell)."""
    rows = (
        filters.queryset()
        .values(cell=_cell(resolution))
        .annotate(
            cases=Sum("case_count"),
            reports=Count("id"),
            bay_cases=Sum("case_count", filter=Q(spot__isnull=False), default=0),
        )
        .order_by()
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["cell", "cases", "reports", "bay_cases"])
    return frame.set_index("cell").astype("int64")


def public_hex_table(filters: HotspotFilter, resolution: int) -> tuple[pd.DataFrame, int]:
    """The public aggregate, the one place its rules live: resolution capped, cells with fewer
    than ``VIOLATIONS_PUBLIC_MIN_COUNT`` cases dropped, counts only. Returns the table and the
    resolution used. (Filters for the public come from ``filters.from_params(public=True)``.)"""
    resolution = min(resolution, settings.VIOLATIONS_PUBLIC_MAX_H3_RES)
    table = hex_table(filters, resolution)
    table = table.loc[table["cases"] >= settings.VIOLATIONS_PUBLIC_MIN_COUNT, ["cases"]]
    return table, resolution


def bay_inventory(resolution: int) -> pd.DataFrame:
    """Disabled-only bays (where counted) and car parks per H3 cell."""
    rows = DisabledParkingSpot.objects.values_list("geom", "disabled_spaces")
    places = [(g if g.geom_type == "Point" else g.point_on_surface, n) for g, n in rows]
    cells = analysis.cells_for_points(
        np.array([p.x for p, _ in places]), np.array([p.y for p, _ in places]), resolution
    )
    frame = pd.DataFrame(
        {"cell": cells, "bays": [n or 0 for _, n in places], "spots": np.ones(len(places), int)}
    )
    return frame.groupby("cell").sum()


def hex_layer(
    filters: HotspotFilter,
    resolution: int,
    *,
    public: bool = False,
    with_gistar: bool = False,
    permutations: int = 0,
) -> dict[str, Any]:
    """GeoJSON hexagons. Public: resolution capped, small counts suppressed, counts only."""
    if public:
        table, resolution = public_hex_table(filters, resolution)
        features = [_feature(cell, {"cases": int(row.cases)}) for cell, row in table.iterrows()]
        return _collection(features, filters, resolution, public=True)
    table = hex_table(filters, resolution)
    table = table.join(bay_inventory(resolution), how="left").fillna(0)
    if with_gistar:
        stats = analysis.gistar(table["cases"], permutations=permutations)
        table = stats.join(table.drop(columns="cases"), how="left").fillna(
            {"reports": 0, "bay_cases": 0, "bays": 0, "spots": 0}
        )
    features = [_feature(cell, _properties(row, with_gistar)) for cell, row in table.iterrows()]
    return _collection(features, filters, resolution, public=False)


def _properties(row: Any, with_gistar: bool) -> dict[str, Any]:
    bays = int(row.bays)
    props: dict[str, Any] = {
        "cases": int(row.cases),
        "reports": int(row.reports),
        "bays": bays,
        "bay_cases": int(row.bay_cases),
        "per_bay": round(row.bay_cases / bays, 2) if bays else None,
    }
    if with_gistar:
        props.update(
            z=round(float(row.z), 3),
            p=round(float(row.p), 5),
            p_sim=None if pd.isna(row.p_sim) else round(float(row.p_sim), 5),
            hotspot=row.hotspot,
        )
    return props


def _feature(cell: int, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": analysis.cell_id(int(cell)),
        "geometry": {"type": "Polygon", "coordinates": [analysis.cell_polygon(int(cell))]},
        "properties": {"cell": analysis.cell_id(int(cell)), **properties},
    }


def _collection(
    features: list[dict[str, Any]], filters: HotspotFilter, resolution: int, *, public: bool
) -> dict[str, Any]:
    meta: dict[str, Any] = {"resolution": resolution, "attribution": settings.OSM_ATTRIBUTION}
    if public:
        meta["min_cases"] = settings.VIOLATIONS_PUBLIC_MIN_COUNT
        meta["period"] = {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
    else:
        meta["filters"] = filters.describe()
    return {"type": "FeatureCollection", "features": features, "meta": meta}


def density_layer(filters: HotspotFilter, bandwidth_m: float, resolution: int) -> dict[str, Any]:
    """Kernel density at grid points: reports are first summed per fine H3 cell in SQL."""
    fine = min(15, max(resolution + 3, 11))
    table = hex_table(filters, fine)
    centres = [h3i.cell_to_latlng(int(c)) for c in table.index]
    lat = [c[0] for c in centres]
    lon = [c[1] for c in centres]
    grid = analysis.kernel_density(lon, lat, table["cases"].to_numpy(), bandwidth_m=bandwidth_m)  # type: ignore[arg-type]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
            "properties": {"density": round(float(d), 2)},
        }
        for x, y, d in zip(grid["lon"], grid["lat"], grid["density"], strict=True)
    ]
    meta = {
        "bandwidth_m": bandwidth_m,
        "cell_m": round(grid.attrs.get("cell_m", 0), 1),
        "unit": "cases per km²",
        "max_density": round(float(grid["density"].max()), 2) if len(grid) else 0,
        "filters": filters.describe(),
    }
    return {"type": "FeatureCollection", "features": features, "meta": meta}


def ranking(filters: HotspotFilter, resolution: int, top: int) -> list[dict[str, Any]]:
    """Top cells by cases with the previous period's cases, trend, and where they are."""
    current = hex_table(filters, resolution)
    previous = hex_table(filters.previous(), resolution)
    table = analysis.ranking(current["cases"], previous["cases"], top)
    labels = _labels(filters, resolution, [int(c) for c in table.index])
    inventory = bay_inventory(resolution)
    rows = []
    for rank, (cell, row) in enumerate(table.iterrows(), start=1):
        lat, lon = h3i.cell_to_latlng(int(cell))
        bays = int(inventory["bays"].get(cell, 0)) if len(inventory) else 0
        rows.append(
            {
                "rank": rank,
                "cell": analysis.cell_id(int(cell)),
                "lon": round(lon, 6),
                "lat": round(lat, 6),
                "cases": int(row.cases),
                "previous_cases": int(row.previous_cases),
                "change": int(row.change),
                "change_pct": None if pd.isna(row.change_pct) else float(row.change_pct),
                "trend": row.trend,
                "bays": bays,
                "district": labels.get(int(cell), ("", ""))[0],
                "place": labels.get(int(cell), ("", ""))[1],
            }
        )
    return rows


def _labels(
    filters: HotspotFilter, resolution: int, cells: list[int]
) -> dict[int, tuple[str, str]]:
    """The most frequent district and place name among each cell's reports."""
    if not cells:
        return {}
    rows = (
        filters.queryset()
        .annotate(cell=_cell(resolution))
        .filter(cell__in=cells)
        .values("cell", "district", "place_text")
        .annotate(cases=Sum("case_count"))
        .order_by("cell", "-cases")
    )
    labels: dict[int, tuple[str, str]] = {}
    for row in rows:
        labels.setdefault(int(row["cell"]), (row["district"], row["place_text"]))
    return labels


def bay_rates(filters: HotspotFilter, top: int) -> list[dict[str, Any]]:
    """Violations per disabled-only bay for car parks whose bay count is known."""
    rows = (
        filters.queryset()
        .filter(spot__isnull=False, spot__disabled_spaces__gt=0)
        .values("spot", "spot__lot_name", "spot__address", "spot__disabled_spaces")
        .annotate(cases=Sum("case_count"), reports=Count("id"))
        .order_by()
    )
    result = [
        {
            "spot": r["spot"],
            "name": r["spot__lot_name"],
            "address": r["spot__address"],
            "bays": r["spot__disabled_spaces"],
            "cases": r["cases"],
            "reports": r["reports"],
            "per_bay": round(r["cases"] / r["spot__disabled_spaces"], 2),
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: (-r["per_bay"], r["spot"]))[:top]
