"""Exports of the hotspot layer for officials: CSV, GeoPackage and a self-contained HTML report.

Exports hold aggregates only (hexagons, counts, Gi*), never plates, contacts or photos.
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from django.conf import settings
from django.utils import timezone
from shapely.geometry import Polygon

from violations.hotspots import aggregate
from violations.hotspots.filters import HotspotFilter

HOTSPOT_COLOURS = {
    "hot_99": "#b2182b",
    "hot_95": "#ef8a62",
    "hot_90": "#fddbc7",
    "not_significant": "#f7f7f7",
    "cold_90": "#d1e5f0",
    "cold_95": "#67a9cf",
    "cold_99": "#2166ac",
}
HOTSPOT_LABELS_KO = {
    "hot_99": "핫스팟 (99%)",
    "hot_95": "핫스팟 (95%)",
    "hot_90": "핫스팟 (90%)",
    "not_significant": "유의하지 않음",
    "cold_90": "콜드스팟 (90%)",
    "cold_95": "콜드스팟 (95%)",
    "cold_99": "콜드스팟 (99%)",
}


def hotspot_frame(filters: HotspotFilter, resolution: int) -> gpd.GeoDataFrame:
    """One row per hexagon with counts, bays and Gi* (WGS84 polygons)."""
    layer = aggregate.hex_layer(filters, resolution, with_gistar=True)
    rows = [f["properties"] for f in layer["features"]]
    shapes = [Polygon(f["geometry"]["coordinates"][0]) for f in layer["features"]]
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=shapes, crs="EPSG:4326")
    if len(frame):
        centroids = frame.geometry.to_crs(settings.METRIC_SRID).centroid.to_crs(4326)
        frame.insert(1, "lon", centroids.x.round(6))
        frame.insert(2, "lat", centroids.y.round(6))
    return frame


def to_csv(filters: HotspotFilter, resolution: int) -> str:
    frame = hotspot_frame(filters, resolution)
    return pd.DataFrame(frame.drop(columns="geometry")).to_csv(index=False)


def to_geopackage(filters: HotspotFilter, resolution: int) -> bytes:
    frame = hotspot_frame(filters, resolution)
    ranking = pd.DataFrame(aggregate.ranking(filters, resolution, 20))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hotspots.gpkg"
        frame.to_file(path, layer="hotspots", driver="GPKG")
        if len(ranking):
            points = gpd.GeoDataFrame(
                ranking, geometry=gpd.points_from_xy(ranking["lon"], ranking["lat"]), crs=4326
            )
            points.to_file(path, layer="ranking", driver="GPKG")
        return path.read_bytes()


def html_report(filters: HotspotFilter, resolution: int, title: str) -> str:
    """A folium map with the Gi* hexagons, the heat surface and the ranking, in one HTML file.

    Leaflet is inlined from the locally installed npm package, so the file works offline.
    """
    frame = hotspot_frame(filters, resolution)
    density = aggregate.density_layer(filters, 250.0, resolution)
    ranking = aggregate.ranking(filters, resolution, 10)
    centre = [frame["lat"].mean(), frame["lon"].mean()] if len(frame) else [36.5, 127.8]
    tiles = settings.BASEMAP_URL or None
    fmap = folium.Map(location=centre, zoom_start=12, tiles=tiles, attr=settings.OSM_ATTRIBUTION)
    if len(frame):
        folium.GeoJson(
            frame.to_json(),
            name="Gi* 핫스팟",
            style_function=_hex_style,
            tooltip=folium.GeoJsonTooltip(
                fields=["cases", "hotspot", "z"], aliases=["건수", "분류", "z"]
            ),
        ).add_to(fmap)
    heat = folium.FeatureGroup(name="밀도 (커널)", show=False)
    top_density = max((f["properties"]["density"] for f in density["features"]), default=1) or 1
    for feature in density["features"][:3000]:
        lon, lat = feature["geometry"]["coordinates"]
        share = feature["properties"]["density"] / top_density
        folium.CircleMarker(
            [lat, lon],
            radius=3,
            stroke=False,
            fill=True,
            fill_opacity=0.15 + 0.6 * share,
            fill_color="#d7301f",
        ).add_to(heat)
    heat.add_to(fmap)
    folium.LayerControl().add_to(fmap)
    summary = folium.Element(_summary_html(title, filters, ranking))
    fmap.get_root().html.add_child(summary)  # type: ignore[attr-defined]
    return _inline_assets(fmap.get_root().render())


def _hex_style(feature: dict[str, Any]) -> dict[str, Any]:
    label = feature["properties"].get("hotspot", "not_significant")
    return {
        "fillColor": HOTSPOT_COLOURS.get(label, "#f7f7f7"),
        "color": "#555",
        "weight": 0.3,
        "fillOpacity": 0.7 if label != "not_significant" else 0.25,
    }


def _summary_html(title: str, filters: HotspotFilter, ranking: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{r['rank']}</td><td>{html.escape(r['district'] or '')} "
        f"{html.escape(r['place'] or '')}</td><td>{r['cases']}</td>"
        f"<td>{r['previous_cases']}</td><td>{r['trend']}</td></tr>"
        for r in ranking
    )
    legend = "".join(
        f'<li><span style="background:{c};display:inline-block;width:12px;height:12px"></span> '
        f"{HOTSPOT_LABELS_KO[k]}</li>"
        for k, c in HOTSPOT_COLOURS.items()
    )
    period = f"{filters.start:%Y-%m-%d} ~ {filters.end:%Y-%m-%d}"
    return (
        '<div style="position:fixed;top:10px;right:10px;z-index:1000;background:#fff;'
        'padding:8px;max-width:360px;font:13px sans-serif;max-height:90vh;overflow:auto">'
        f"<h2 style='font-size:15px;margin:0'>{html.escape(title)}</h2>"
        f"<p>기간 {period} · 생성 {timezone.now():%Y-%m-%d %H:%M}</p>"
        f"<ul style='list-style:none;padding:0'>{legend}</ul>"
        "<table><caption>상위 핫스팟 (이전 기간 대비)</caption><tr><th>순위</th><th>위치</th>"
        f"<th>건수</th><th>이전</th><th>추세</th></tr>{rows}</table>"
        f"<p>{html.escape(settings.OSM_ATTRIBUTION)} · 집계 자료 (차량번호·연락처·사진 없음)</p></div>"
    )


def _inline_assets(page: str) -> str:
    """Inline Leaflet; drop the CDN scripts and styles folium adds that this map does not use."""
    vendor = Path(settings.VENDOR_DIR) / "leaflet"
    script = (vendor / "leaflet.js").read_text(encoding="utf-8")
    style = (vendor / "leaflet.css").read_text(encoding="utf-8")

    def replace_script(match: re.Match[str]) -> str:
        return f"<script>{script}</script>" if match.group(1).endswith("/leaflet.js") else ""

    def replace_style(match: re.Match[str]) -> str:
        return f"<style>{style}</style>" if match.group(1).endswith("/leaflet.css") else ""

    page = re.sub(r'<script src="(https?://[^"]+)"></script>', replace_script, page)
    page = re.sub(r'<link rel="stylesheet" href="(https?://[^"]+)"/?>', replace_style, page)
    return page
