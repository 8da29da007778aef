"""Serving one tile: access check, version, ETag, conditional request and the tile cache.

Built tiles are kept in the ``tiles`` cache (``settings.CACHES``) under a key that contains the
layer's version, so an edit never needs an invalidation: the next request reads the new version
and misses. The ETag is derived from the same key, so a client that already holds the tile gets
``304 Not Modified`` without the tile being built or read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.permissions import has_role
from modugil.errors import Forbidden, NotAuthenticated
from tiles.layer import LayerParams, MapLayer
from tiles.sql import build_tile
from tiles.tilegrid import Tile
from tiles.versions import layer_version

TILES_CACHE = "tiles"
# Bump when the tile encoding changes (columns, simplification...): ETags held by clients and
# tiles kept in shared caches must not survive a deploy that changes what a tile contains.
TILE_FORMAT = 1


@dataclass(frozen=True)
class TileResult:
    etag: str
    data: bytes | None  # None: the client's copy is current (304)


def request_user(request: HttpRequest) -> object:
    """The session user, or the user of an ``Authorization: Token ...`` header (API clients)."""
    user = request.user
    if user.is_authenticated:
        return user
    header = get_authorization_header(request).split()  # type: ignore[arg-type]
    if len(header) == 2 and header[0].lower() == b"token":
        try:
            token_user, _ = TokenAuthentication().authenticate_credentials(header[1].decode())
        except (AuthenticationFailed, UnicodeDecodeError) as e:
            raise NotAuthenticated("Invalid token.") from e
        return token_user
    return user


def check_access(request: HttpRequest, layer: MapLayer) -> None:
    """Public layers pass untouched (no session read, so shared caches may keep them)."""
    if layer.required_role is None:
        return
    user = request_user(request)
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(f"Sign in to see the {layer.name} layer.")
    if not has_role(user, layer.required_role):
        raise Forbidden(
            f"The {layer.name} layer is for {layer.required_role.label} users and above."
        )


def tile_key(layer: MapLayer, version: str, tile: Tile, params: LayerParams) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    columns = ",".join(layer.attributes)
    # Several databases may share one cache (tests, benchmarks, a second site): versions are per database.
    database = connection.settings_dict["NAME"]
    raw = f"{TILE_FORMAT}|{database}|{layer.name}|{columns}|{version}|{tile.z}/{tile.x}/{tile.y}|{query}"
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def _etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {c.strip().removeprefix("W/") for c in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


def get_tile(
    layer: MapLayer, tile: Tile, params: LayerParams, if_none_match: str | None = None
) -> TileResult:
    """The tile's ETag and bytes (empty bytes: no feature), or no bytes when the client's is current."""
    version = layer_version(layer)
    key = tile_key(layer, version, tile, params)
    etag = f'"{key[:24]}"'
    if _etag_matches(if_none_match, etag):
        return TileResult(etag, None)
    cache = caches[TILES_CACHE]
    data = cache.get(key)
    if data is None:
        data = build_tile(layer, tile, params, version)
        cache.set(key, data)
    return TileResult(etag, data)
