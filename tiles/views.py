"""HTTP endpoints: tiles, TileJSON per layer, the MapLibre style and the layer catalogue.

Plain Django views, not DRF: a public tile must not read the session (a ``Vary: Cookie`` would
stop shared caches from keeping it) and a tile request should cost as little as possible.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from accounts.permissions import has_role
from modugil.errors import ModugilError, NotAuthenticated, error_body, status_for
from tiles.layer import LayerParams, MapLayer, ProfileLayer, refuse_unknown
from tiles.registry import all_layers, get_layer
from tiles.serving import check_access, get_tile, request_user
from tiles.style import map_style, tilejson
from tiles.tilegrid import Tile

MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
# Below a layer's minzoom the answer never changes.
BELOW_MINZOOM_CACHE = "public, max-age=86400"

View = Callable[..., HttpResponse]


def json_errors(view: View) -> View:
    """Domain errors leave as the project's JSON error body, with the status from the one table."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ModugilError as e:
            body = error_body(e.message, e.code, e.fields, **e.extra)
            response = JsonResponse(body, status=status_for(e))
            if isinstance(e, NotAuthenticated):
                response["WWW-Authenticate"] = 'Token realm="modugil"'
            return response

    return wrapper


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _cache_headers(response: HttpResponse, layer: MapLayer) -> HttpResponse:
    """Always revalidate (an edit shows on the next request); 304s make that cheap."""
    if layer.restricted:
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ("Cookie", "Authorization"))
    else:
        response["Cache-Control"] = "public, no-cache"
        response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@json_errors
def tile(request: HttpRequest, layer: str, z: int, x: int, y: int) -> HttpResponse:
    """``/tiles/{layer}/{z}/{x}/{y}.pbf``: 200 with the tile, 204 when empty, 304 when unchanged."""
    map_layer = get_layer(layer)
    check_access(request, map_layer)
    address = Tile.checked(z, x, y)
    params = map_layer.parse_params(request.GET.dict())
    if address.z < map_layer.minzoom:
        response = HttpResponse(status=204)
        response["Cache-Control"] = BELOW_MINZOOM_CACHE
        return response
    result = get_tile(map_layer, address, params, request.headers.get("If-None-Match"))
    if result.data is None:
        response = HttpResponseNotModified()
    elif not result.data:
        response = HttpResponse(status=204)
    else:
        response = HttpResponse(result.data, content_type=MVT_CONTENT_TYPE)
    response["ETag"] = result.etag
    return _cache_headers(response, map_layer)


@require_safe
@json_errors
def layer_tilejson(request: HttpRequest, layer: str) -> HttpResponse:
    """TileJSON 3.0 for one layer; its parameters (``?profile=``) carry into the tile URLs."""
    map_layer = get_layer(layer)
    check_access(request, map_layer)
    params = map_layer.parse_params(request.GET.dict())
    response = JsonResponse(tilejson(map_layer, _base_url(request), params))
    return _cache_headers(response, map_layer)


def visible_layers(request: HttpRequest) -> list[MapLayer]:
    """Public layers, plus restricted ones the requesting user's role opens."""
    user = request_user(request)
    return [
        layer
        for layer in all_layers()
        if layer.required_role is None or has_role(user, layer.required_role)
    ]


def _style_params(request: HttpRequest, layers: list[MapLayer]) -> dict[str, LayerParams]:
    query = request.GET.dict()
    refuse_unknown(query, allowed=("profile",))
    profile = {"profile": query["profile"]} if "profile" in query else {}
    return {
        layer.name: layer.parse_params(profile)
        for layer in layers
        if isinstance(layer, ProfileLayer)
    }


@require_safe
@json_errors
def style(request: HttpRequest) -> HttpResponse:
    """A MapLibre style with every layer the user may see; ``?profile=`` colours profile layers."""
    layers = visible_layers(request)
    params = _style_params(request, layers)
    response = JsonResponse(map_style(layers, _base_url(request), params))
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
@json_errors
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every layer the user may see, with its TileJSON address."""
    base = _base_url(request)
    data = [
        {
            "name": layer.name,
            "title": str(layer.title),
            "description": str(layer.description),
            "geometry": layer.geometry,
            "restricted": layer.restricted,
            "profile_parameters": isinstance(layer, ProfileLayer),
            "tilejson": f"{base}/tiles/{layer.name}.json",
        }
        for layer in visible_layers(request)
    ]
    response = JsonResponse({"layers": data})
    response["Cache-Control"] = "private, no-cache"
    return response
