"""The explicit registry of map layers. Apps register theirs from a ``map_layers`` module.

``tiles`` imports every installed app's ``map_layers`` module once at start-up (the way the
Django admin finds ``admin`` modules); the registry itself is a plain ordered dict.
"""

from __future__ import annotations

from typing import TypeVar

from django.utils.module_loading import autodiscover_modules

from modugil.errors import NotFound
from tiles.layer import MapLayer

LayerT = TypeVar("LayerT", bound=type[MapLayer])

_LAYERS: dict[str, MapLayer] = {}


class UnknownLayer(NotFound):
    code = "unknown_layer"


def register(layer_class: LayerT) -> LayerT:
    """Class decorator: add a layer under its ``name``; a second layer with the same name is an error."""
    name = layer_class.name
    existing = _LAYERS.get(name)
    if existing is not None and type(existing) is not layer_class:
        msg = f"Map layer {name!r} is already registered by {type(existing).__qualname__}."
        raise ValueError(msg)
    _LAYERS[name] = layer_class()
    return layer_class


def unregister(name: str) -> None:
    _LAYERS.pop(name, None)


def get_layer(name: str) -> MapLayer:
    try:
        return _LAYERS[name]
    except KeyError:
        raise UnknownLayer(
            f"No map layer named {name!r}.",
            fields={"layer": [f"Choose one of: {', '.join(_LAYERS)}."]},
        ) from None


def all_layers() -> list[MapLayer]:
    return list(_LAYERS.values())


def autodiscover() -> None:
    autodiscover_modules("map_layers")
