"""modugil's built-in map layers (other apps add theirs in their own ``map_layers`` module)."""

from tiles.layers import community, mapping, review

__all__ = ["community", "mapping", "review"]
