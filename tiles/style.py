"""TileJSON 3.0 per layer and a MapLibre style (v8) combining the layers a user may see."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from tiles.layer import LayerParams, MapLayer
from tiles.tilegrid import EXTENT, THIN_UNITS, THIN_UNITS_LOW_ZOOM, Tile

OSM_ATTRIBUTION_HTML = (
    '<a href="https://www.openstreetmap.org/copyright" target="_blank">'
    f"{settings.OSM_ATTRIBUTION}</a>"
)
Z_ORDER = {"polygon": 0, "line": 1, "point": 2}


def tile_url_template(base_url: str, layer: MapLayer, params: LayerParams) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url}/tiles/{layer.name}/{{z}}/{{x}}/{{y}}.pbf{query}"


def tilejson(layer: MapLayer, base_url: str, params: LayerParams) -> dict[str, Any]:
    lon, lat, zoom = settings.TILES_MAP_CENTER
    return {
        "tilejson": "3.0.0",
        "name": str(layer.title),
        "description": str(layer.description),
        "attribution": OSM_ATTRIBUTION_HTML,
        "scheme": "xyz",
        "tiles": [tile_url_template(base_url, layer, params)],
        "minzoom": layer.minzoom,
        "maxzoom": layer.maxzoom,
        "bounds": list(settings.SERVICE_AREA),
        "center": [lon, lat, int(zoom)],
        "vector_layers": [
            {
                "id": layer.name,
                "description": str(layer.description),
                "minzoom": layer.minzoom,
                "maxzoom": layer.maxzoom,
                "fields": dict(layer.attributes),
                **thinning(layer),
            }
        ],
    }


def thinning(layer: MapLayer) -> dict[str, Any]:
    """How a crowded layer is thinned at low zooms (a TileJSON extension; {} if it is not)."""
    if not layer.thin_points_below_zoom:
        return {}
    return {
        "thinning": {
            "below_zoom": layer.thin_points_below_zoom,
            "rule": (
                "one feature per grid cell (the cell of its bounding box's north-west corner): "
                "the lowest id among the permanent features the layer shows; active temporary "
                "obstacles are all drawn"
            ),
            "cell_tile_units": {"below_z14": THIN_UNITS_LOW_ZOOM, "from_z14": THIN_UNITS},
            "extent": EXTENT,
            # Cells are the Web Mercator tiles of zoom z + offset: fixed, nested across zooms,
            # so neighbouring tiles agree on the feature that stands for a cell.
            "grid": {"crs": "EPSG:3857", "cell_zoom_offset": Tile(13, 0, 0).thinning_level() - 13},
        }
    }


def _sources(layers: list[MapLayer], base_url: str, params: dict[str, LayerParams]) -> dict:
    return {
        layer.name: {
            "type": "vector",
            "tiles": [tile_url_template(base_url, layer, params.get(layer.name, {}))],
            "minzoom": layer.minzoom,
            "maxzoom": layer.maxzoom,
            "attribution": OSM_ATTRIBUTION_HTML,
        }
        for layer in layers
    }


def _basemap() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not settings.BASEMAP_URL:
        return {}, []
    source = {
        "type": "raster",
        "tiles": [settings.BASEMAP_URL],
        "tileSize": 256,
        "attribution": OSM_ATTRIBUTION_HTML,
    }
    return {"basemap": source}, [{"id": "basemap", "type": "raster", "source": "basemap"}]


def map_style(layers: list[MapLayer], base_url: str, params: dict[str, LayerParams]) -> dict:
    """A complete MapLibre style: background, optional raster basemap, then the layers."""
    lon, lat, zoom = settings.TILES_MAP_CENTER
    ordered = sorted(layers, key=lambda layer: Z_ORDER[layer.geometry])
    basemap_sources, basemap_layers = _basemap()
    style_layers: list[dict[str, Any]] = [
        {"id": "background", "type": "background", "paint": {"background-color": "#eef1f4"}},
        *basemap_layers,
    ]
    for layer in ordered:
        for style_layer in layer.style_layers(layer.name):
            if not layer.shown_by_default:
                style_layer["layout"] = {**style_layer.get("layout", {}), "visibility": "none"}
            style_layers.append(style_layer)
    return {
        "version": 8,
        "name": _("modugil accessibility map"),
        "center": [lon, lat],
        "zoom": zoom,
        "sources": {**basemap_sources, **_sources(ordered, base_url, params)},
        "layers": style_layers,
        "metadata": {
            "modugil:layers": [
                {
                    "name": layer.name,
                    "title": str(layer.title),
                    "restricted": layer.restricted,
                    "visible": layer.shown_by_default,
                }
                for layer in ordered
            ]
        },
    }
