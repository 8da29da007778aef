"""Routing's error vocabulary: subclasses of the categories in :mod:`modugil.errors`.

Their HTTP status comes from the one table there; the extra keyword arguments travel in the
JSON body (the snap distance, the constraint that cuts a destination off, the smallest
relaxation that gives a route, the nearest reachable point).
"""

from __future__ import annotations

from modugil.errors import InvalidInput, NotFound, Unprocessable


class UnknownProfile(InvalidInput):
    code = "unknown_profile"


class TooManyStops(InvalidInput):
    code = "too_many_stops"


class UnknownGraph(NotFound):
    code = "unknown_graph"


class PointNotOnNetwork(Unprocessable):
    """A point is farther from any path the profile may use than the snap limit."""

    code = "point_not_on_network"


class NoRoute(Unprocessable):
    """Both points are on the network but no path satisfies the profile's hard constraints."""

    code = "no_route"
