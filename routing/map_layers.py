"""The routing app's map layers: the network coloured for a profile, and its data gaps."""

from routing.layers.network import Network
from routing.layers.quality import NetworkQuality
from tiles.registry import register

register(Network)
register(NetworkQuality)

__all__ = ["Network", "NetworkQuality"]
