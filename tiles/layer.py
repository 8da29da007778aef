"""What a map layer declares: its features as an ORM queryset, attributes, zooms, access and style.

A layer never writes SQL for the tile itself: :mod:`tiles.sql` wraps its queryset with the tile
filter, the zoom-dependent simplification and ``ST_AsMVT``. Apps add layers from their own
``map_layers`` module with :func:`tiles.registry.register`::

    @register
    class Ramps(MapLayer):
        name = "ramps"
        title = _("Ramps")
        geometry = "point"
        depends_on = (AccessibilityFeature,)
        attributes = {"id": "feature id", "incline_pct": "incline (%)"}

        def features(self, params: LayerParams) -> QuerySet:
            return AccessibilityFeature.objects.filter(feature_type="ramp").values(
                "id", "incline_pct", "geom"
            )
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from accounts.models import Role
from modugil.errors import InvalidInput
from routing.profiles import Profile, build_profile

Geometry = Literal["point", "line", "polygon"]
# Validated, canonical request parameters (sorted keys, string values): part of cache keys.
LayerParams = dict[str, str]
StrOrPromise = str | Promise


@dataclass(frozen=True)
class Slot:
    """A placeholder parameter in a compiled tile query, filled per request: the tile's
    numbers, or a value a layer computes (:meth:`MapLayer.slot_values`)."""

    name: str


class MapLayer:
    """Base class of every vector-tile layer. Subclasses set the class attributes below."""

    name: ClassVar[str]
    title: ClassVar[StrOrPromise]
    description: ClassVar[StrOrPromise] = ""
    geometry: ClassVar[Geometry]
    # Models whose tables move this layer's version (and so its ETags and cached tiles).
    depends_on: ClassVar[tuple[type[Model], ...]]
    # Attribute name -> description, for TileJSON. ``id`` becomes the MVT feature id.
    attributes: ClassVar[dict[str, str]]
    geom_field: ClassVar[str] = "geom"
    minzoom: ClassVar[int] = 0
    # Zoom of the most detailed tiles; clients over-zoom beyond it.
    maxzoom: ClassVar[int] = 18
    # Lines and polygons are simplified (in the table's SRID) below this zoom; a point layer
    # that also holds lines (steps drawn as lines) sets ``simplify = True``.
    full_detail_zoom: ClassVar[int] = 16
    simplify: ClassVar[bool | None] = None  # None: simplify unless geometry == "point"
    # Points closer than a few pixels are thinned to one below this zoom (0 = never). Thinned
    # tiles read ``representatives``: a WGS84 table the database keeps to one feature per grid
    # cell with the layer's attributes (see tiles.models.FeatureRepresentative), plus
    # ``always_shown(params)``.
    thin_points_below_zoom: ClassVar[int] = 0
    representatives: ClassVar[type[Model] | None] = None
    # None: public. A role: only users with that role or above (401 anonymous, 403 others).
    required_role: ClassVar[Role | None] = None
    color: ClassVar[str] = "#555555"
    # Drawn when a map opens; others are listed in the style (a map offers them as toggles).
    shown_by_default: ClassVar[bool] = True
    # Attributes computed in the tile query's wrapper from the row's other columns: SQL text
    # from code (never from a request) naming the queryset's columns. An expression over a long
    # annotation (a profile's constraint bits) is then evaluated once per row, not once per use.
    derived: ClassVar[dict[str, str]] = {}
    # Queryset columns that derived attributes read but the tile does not carry.
    helper_columns: ClassVar[tuple[str, ...]] = ()

    def features(self, params: LayerParams) -> QuerySet:
        """The layer's features: a queryset whose ``values()`` rows carry the attributes and geom."""
        raise NotImplementedError

    def always_shown(self, params: LayerParams) -> QuerySet | None:
        """Features drawn on thinned tiles too, next to the representatives (None: none)."""
        return None

    def parse_params(self, query: Mapping[str, str]) -> LayerParams:
        """Validate request parameters; the default layer takes none."""
        refuse_unknown(query, allowed=())
        return {}

    def slot_values(self, params: LayerParams, version: str | None = None) -> dict[Slot, Any]:
        """Values for the layer's own ``Slot`` placeholders in its queryset, per tile built
        (``version``: the layer's version when the caller already read it, else None)."""
        return {}

    def clock_token(self) -> str:
        """Part of the version that moves with time rather than edits (e.g. today's date)."""
        return ""

    def clock_query(self) -> QuerySet | None:
        """A one-value queryset whose result moves when time changes what the layer shows."""
        return None

    @property
    def restricted(self) -> bool:
        return self.required_role is not None

    def style_layers(self, source: str) -> list[dict[str, Any]]:
        """MapLibre style layers drawing this layer from vector source ``source``."""
        base = {"id": self.name, "source": source, "source-layer": self.name}
        if self.geometry == "point":
            paint: dict[str, Any] = {
                "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, 3, 17, 7],
                "circle-color": self.color,
                "circle-stroke-color": "#ffffff",
                "circle-stroke-width": 1,
            }
            return [{**base, "type": "circle", "paint": paint}]
        if self.geometry == "line":
            paint = {"line-color": self.color, "line-width": 3}
            return [{**base, "type": "line", "paint": paint, "layout": {"line-cap": "round"}}]
        return [
            {**base, "type": "fill", "paint": {"fill-color": self.color, "fill-opacity": 0.12}},
            {
                **base,
                "id": f"{self.name}-outline",
                "type": "line",
                "paint": {"line-color": self.color, "line-width": 2, "line-dasharray": [2, 1]},
            },
        ]


class ComputedLayer(MapLayer):
    """A layer whose features an app computes in Python (an aggregate such as H3 hexagons).

    The app keeps its own rules (privacy thresholds, statistics) in its own code; PostGIS still
    clips, quantises and encodes the tile (``ST_AsMVTGeom`` / ``ST_AsMVT``): the rows travel as
    one JSON parameter. Versions, ETags, caching and access work as for any other layer.
    """

    # SQL type of each attribute (the JSON values are cast to it): integer, bigint, text...
    attribute_types: ClassVar[dict[str, str]]

    def rows(
        self, params: LayerParams, bbox: tuple[float, float, float, float], zoom: int
    ) -> list[dict[str, Any]]:
        """Features touching ``bbox`` (WGS84 lon/lat) at ``zoom``: attribute values plus
        ``geometry`` (a GeoJSON geometry in WGS84)."""
        raise NotImplementedError

    def features(self, params: LayerParams) -> QuerySet:
        msg = f"Map layer {self.name} computes its rows; it has no queryset."
        raise TypeError(msg)


def refuse_unknown(query: Mapping[str, str], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        msg = "Unknown parameter." if allowed == () else f"Allowed: {', '.join(allowed)}."
        raise InvalidInput(
            f"Unknown parameter(s): {', '.join(unknown)}.", fields={k: [msg] for k in unknown}
        )


class ProfileLayer(MapLayer):
    """A layer drawn for one mobility profile: ``?profile=<preset>`` plus optional overrides.

    Overrides use the profile's own parameter names (``max_kerb_height_cm=5``) and are
    validated by :func:`routing.profiles.build_profile`; unknown names answer 400.
    """

    default_profile: ClassVar[str] = "manual_wheelchair"

    def parse_params(self, query: Mapping[str, str]) -> LayerParams:
        overrides = {k: v for k, v in query.items() if k != "profile"}
        preset = query.get("profile", self.default_profile)
        build_profile(preset, overrides)  # raises InvalidInput naming the field
        return dict(sorted({"profile": preset, **overrides}.items()))

    @staticmethod
    def profile(params: LayerParams) -> Profile:
        overrides = {k: v for k, v in params.items() if k != "profile"}
        return build_profile(params.get("profile", "manual_wheelchair"), overrides)
