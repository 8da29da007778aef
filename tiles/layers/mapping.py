"""Public layers of the mapping app: accessibility features, places rated per profile, parking."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import BooleanField, Max, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from mapping.models import AccessibilityFeature, DisabledParkingSpot, Entrance, Place
from tiles.layer import LayerParams, MapLayer, ProfileLayer
from tiles.layers.place_grades import with_grade
from tiles.models import FeatureRepresentative
from tiles.registry import register

GRADE_COLORS = {"yes": "#1a7f37", "limited": "#bf8700", "no": "#cf222e", "unknown": "#6e7781"}
FEATURE_COLORS = {
    "kerb": "#b34700",
    "curb_ramp": "#1a7f37",
    "steps": "#cf222e",
    "ramp": "#2da44e",
    "elevator": "#0969da",
    "obstacle": "#a40e26",
    "surface_problem": "#9a6700",
    "narrow_passage": "#8250df",
    "steep_slope": "#bc4c00",
    "tactile_paving": "#bf8700",
    "crossing": "#57606a",
}


def match_color(attribute: str, colors: dict[str, str], default: str) -> list[Any]:
    """A MapLibre ``match`` expression colouring by an attribute's value."""
    pairs = [item for value_color in colors.items() for item in value_color]
    return ["match", ["get", attribute], *pairs, default]


def point_and_line_styles(layer: MapLayer, source: str, color: list[Any]) -> list[dict[str, Any]]:
    base = {"source": source, "source-layer": layer.name}
    return [
        {
            **base,
            "id": f"{layer.name}-lines",
            "type": "line",
            "filter": ["==", ["geometry-type"], "LineString"],
            "paint": {"line-color": color, "line-width": 3},
            "layout": {"line-cap": "round"},
        },
        {
            **base,
            "id": layer.name,
            "type": "circle",
            "filter": ["==", ["geometry-type"], "Point"],
            "paint": {
                "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, 2.5, 17, 6],
                "circle-color": color,
                "circle-stroke-color": "#ffffff",
                "circle-stroke-width": 1,
            },
        },
    ]


@register
class AccessibilityFeatures(MapLayer):
    """Kerbs, curb ramps, steps, ramps, elevators, obstacles...: only active ones.

    Active = not deleted and not an expired temporary obstacle. The version includes the
    latest expiry already passed, so an obstacle leaves the tiles the moment it expires.
    """

    name = "features"
    title = _("Accessibility features")
    description = _("Kerbs, curb ramps, steps, ramps, elevators and obstacles on the way.")
    geometry = "point"
    depends_on = (AccessibilityFeature,)
    minzoom = 12
    color = "#b34700"
    simplify = True  # steps and ramps are lines
    thin_points_below_zoom = 14
    representatives = FeatureRepresentative
    attributes: ClassVar[dict[str, str]] = {
        "id": "Feature id (/api/mapping/features/{id}/)",
        "feature_type": "kerb, curb_ramp, steps, ramp, elevator, obstacle, ...",
        "kerb": "OSM kerb=* (raised, lowered, flush, rolled, no)",
        "kerb_height_cm": "Kerb height (cm)",
        "step_count": "Number of steps",
        "ramp_wheelchair": "Ramp alongside steps (yes, separate, no)",
        "incline_pct": "Incline (%), signed along a line",
        "width_m": "Width (m)",
        "surface": "OSM surface=*",
        "elevator_working": "Elevator working (true/false; absent = unknown)",
        "is_temporary": "Temporary obstacle with an expiry",
        "status": "Review status",
        "confidence": "Confidence 0..1",
    }

    def features(self, params: LayerParams) -> QuerySet:
        # FeatureQuerySet.active(), with the database clock: the compiled SQL is reused.
        return AccessibilityFeature.objects.filter(Q(is_temporary=False) | Q(expires_at__gt=Now()))

    def always_shown(self, params: LayerParams) -> QuerySet:
        # Active temporary obstacles never stand for a cell (they expire with the clock): all
        # of them are drawn. A literal predicate, so the planner uses tiles_feature_temporary.
        temporary = RawSQL("is_temporary", (), output_field=BooleanField())
        return AccessibilityFeature.objects.filter(temporary, expires_at__gt=Now())

    def clock_query(self) -> QuerySet:
        # Grouping by the filtered flag gives one row: SELECT max(expires_at) ... WHERE ...
        return (
            AccessibilityFeature.all_objects.filter(is_temporary=True, expires_at__lte=Now())
            .order_by()
            .values("is_temporary")
            .annotate(latest=Max("expires_at"))
            .values("latest")
        )

    def style_layers(self, source: str) -> list[dict[str, Any]]:
        color = match_color("feature_type", FEATURE_COLORS, self.color)
        return point_and_line_styles(self, source, color)


@register
class RatedPlaces(ProfileLayer):
    """Places coloured by the rating derived for the requested profile (``?profile=stroller``)."""

    name = "places"
    title = _("Places")
    description = _("Places with a yes / limited / no / unknown rating derived for your profile.")
    geometry = "point"
    depends_on = (Place, Entrance)
    minzoom = 12
    color = "#0b5cad"
    attributes: ClassVar[dict[str, str]] = {
        "id": "Place id (/api/mapping/places/{id}/?profile=...)",
        "name": "Name",
        "category": "Category",
        "grade": "yes, limited, no or unknown for the requested profile",
        "toilet_accessible": "Accessible toilet (absent = unknown)",
        "has_elevator": "Elevator (absent = unknown)",
        "status": "Review status",
    }

    def features(self, params: LayerParams) -> QuerySet:
        return with_grade(Place.objects.all(), self.profile(params))

    def style_layers(self, source: str) -> list[dict[str, Any]]:
        layer = super().style_layers(source)[0]
        layer["paint"]["circle-color"] = match_color("grade", GRADE_COLORS, GRADE_COLORS["unknown"])
        layer["paint"]["circle-radius"] = ["interpolate", ["linear"], ["zoom"], 12, 3, 17, 8]
        return [layer]


@register
class ParkingSpots(MapLayer):
    """Disabled-only parking bays and car parks (points or polygons)."""

    name = "parking"
    title = _("Disabled parking")
    description = _("Disabled-only parking bays and car parks with their bay counts.")
    geometry = "point"
    depends_on = (DisabledParkingSpot,)
    minzoom = 10
    color = "#0969da"  # the blue of the disabled-parking sign
    attributes: ClassVar[dict[str, str]] = {
        "id": "Parking spot id (/api/mapping/parking-spots/{id}/)",
        "lot_name": "Car park name",
        "lot_kind": "public, private, on_street, off_street, attached",
        "disabled_spaces": "Disabled-only bays",
        "total_spaces": "All bays",
        "has_signage": "Signage (absent = unknown)",
        "has_access_aisle": "Access aisle (absent = unknown)",
        "permit_type": "Who may park",
        "status": "Review status",
    }

    def features(self, params: LayerParams) -> QuerySet:
        return DisabledParkingSpot.objects.all()

    def style_layers(self, source: str) -> list[dict[str, Any]]:
        base = {"source": source, "source-layer": self.name}
        polygon = ["==", ["geometry-type"], "Polygon"]
        return [
            {
                **base,
                "id": f"{self.name}-areas",
                "type": "fill",
                "filter": polygon,
                "paint": {"fill-color": self.color, "fill-opacity": 0.35},
            },
            {
                **base,
                "id": self.name,
                "type": "circle",
                "filter": ["==", ["geometry-type"], "Point"],
                "paint": {
                    "circle-radius": ["interpolate", ["linear"], ["zoom"], 10, 3, 17, 8],
                    "circle-color": self.color,
                    "circle-stroke-color": "#ffffff",
                    "circle-stroke-width": 1.5,
                },
            },
        ]
