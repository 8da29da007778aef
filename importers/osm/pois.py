"""OSM places and point/line accessibility features (PBF or XML, clipped extracts tolerated).

Places: named amenities, shops, tourism, stations and parks, plus anything tagged
``wheelchair``/``toilets:wheelchair``. Features: crossings, kerbs, elevators, steps and steep ways.
Disabled parking: car parks with ``capacity:disabled`` and ``parking_space=disabled`` bays.
Tags are copied to ``osm_tags`` with the element version, so a later write-back changes only
what modugil changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import osmium
from django.contrib.gis.geos import LineString, Point, Polygon

from importers.base import REJECTED, Record, RowOutcome, Source
from importers.errors import ImporterError
from importers.models import OsmElementSnapshot
from importers.osm.tags import (
    crossing_kind,
    kerb_height_cm,
    kerb_value,
    parse_bool,
    parse_incline,
    parse_length_m,
    parse_step_count,
)
from importers.sources.osm_a11y_tags import (
    capacity_disabled,
    disabled_parking_values,
    wheelchair_extra,
)
from mapping.models import (
    AccessibilityFeature,
    DisabledParkingSpot,
    FeatureType,
    Place,
    PlaceCategory,
    Surface,
)
from mapping.models import Source as DataSource

STEEP_WAY_PCT = 5.0

AMENITY_CATEGORY = {
    "restaurant": PlaceCategory.RESTAURANT,
    "fast_food": PlaceCategory.RESTAURANT,
    "food_court": PlaceCategory.RESTAURANT,
    "cafe": PlaceCategory.CAFE,
    "toilets": PlaceCategory.TOILET,
    "hospital": PlaceCategory.HOSPITAL,
    "clinic": PlaceCategory.HOSPITAL,
    "doctors": PlaceCategory.HOSPITAL,
    "pharmacy": PlaceCategory.HOSPITAL,
    "dentist": PlaceCategory.HOSPITAL,
    "townhall": PlaceCategory.PUBLIC_BUILDING,
    "post_office": PlaceCategory.PUBLIC_BUILDING,
    "police": PlaceCategory.PUBLIC_BUILDING,
    "library": PlaceCategory.PUBLIC_BUILDING,
    "community_centre": PlaceCategory.PUBLIC_BUILDING,
    "bank": PlaceCategory.PUBLIC_BUILDING,
    "parking": PlaceCategory.PARKING,
    "theatre": PlaceCategory.CULTURE,
    "cinema": PlaceCategory.CULTURE,
    "arts_centre": PlaceCategory.CULTURE,
}
TOURISM_CATEGORY = {
    "hotel": PlaceCategory.LODGING,
    "motel": PlaceCategory.LODGING,
    "guest_house": PlaceCategory.LODGING,
    "hostel": PlaceCategory.LODGING,
    "museum": PlaceCategory.CULTURE,
    "gallery": PlaceCategory.CULTURE,
}


def place_category(tags: dict[str, str]) -> str | None:
    """The place category for an OSM element, or None when it is not a place we list."""
    amenity = tags.get("amenity")
    if amenity in AMENITY_CATEGORY:
        return AMENITY_CATEGORY[amenity]
    tourism = tags.get("tourism")
    if tourism in TOURISM_CATEGORY:
        return TOURISM_CATEGORY[tourism]
    if tourism in ("attraction", "viewpoint", "theme_park", "zoo"):
        return PlaceCategory.TOURIST_ATTRACTION
    if "shop" in tags:
        return PlaceCategory.SHOP
    if tags.get("railway") == "station" or tags.get("public_transport") == "station":
        return PlaceCategory.STATION
    if tags.get("leisure") == "park":
        return PlaceCategory.PARK
    if "wheelchair" in tags or "toilets:wheelchair" in tags:
        return PlaceCategory.OTHER
    return None


def _address(tags: dict[str, str]) -> str:
    parts = [
        tags.get(k, "") for k in ("addr:city", "addr:district", "addr:street", "addr:housenumber")
    ]
    return tags.get("addr:full") or " ".join(p for p in parts if p)


def _url(value: str) -> str:
    value = value.strip()
    if value and not value.startswith(("http://", "https://")):
        value = f"http://{value}"
    return value[:200]


def place_values(tags: dict[str, str], category: str) -> dict[str, Any]:
    wheelchair = tags.get("wheelchair")
    return {
        "name": tags.get("name:ko") or tags.get("name") or tags.get("name:en") or "",
        "name_en": tags.get("name:en", ""),
        "category": category,
        "address": _address(tags)[:300],
        "phone": (tags.get("phone") or tags.get("contact:phone") or "")[:40],
        "website": _url(tags.get("website") or tags.get("contact:website") or ""),
        "opening_hours": tags.get("opening_hours", "")[:255],
        "wheelchair_tag": wheelchair if wheelchair in ("yes", "limited", "no") else "",
        "toilet_accessible": parse_bool(tags.get("toilets:wheelchair"))
        if category != PlaceCategory.TOILET
        else parse_bool(tags.get("wheelchair") or tags.get("toilets:wheelchair")),
        "has_elevator": parse_bool(tags.get("elevator")),
        "parking_disabled_spaces": capacity_disabled(tags)
        if category == PlaceCategory.PARKING
        else None,
        "extra": wheelchair_extra(tags),
    }


def feature_values(tags: dict[str, str], is_way: bool) -> dict[str, Any] | None:
    """Feature type and measurements for a node or way, or None when it is not a feature."""
    highway = tags.get("highway")
    values: dict[str, Any]
    if not is_way and (
        highway == "crossing" or ("crossing" in tags and highway != "traffic_signals")
    ):
        kind = crossing_kind(tags)
        values = {
            "feature_type": FeatureType.CROSSING,
            "crossing": kind or "",
            "crossing_signals": True
            if kind == "traffic_signals"
            else parse_bool(tags.get("crossing:signals")),
            "kerb": kerb_value(tags) or "",
            "kerb_height_cm": kerb_height_cm(tags),
        }
    elif not is_way and tags.get("barrier") == "kerb":
        values = {
            "feature_type": FeatureType.KERB,
            "kerb": kerb_value(tags) or "",
            "kerb_height_cm": kerb_height_cm(tags),
        }
    elif not is_way and highway == "elevator":
        values = {
            "feature_type": FeatureType.ELEVATOR,
            "opening_hours": tags.get("opening_hours", "")[:255],
        }
    elif is_way and highway == "steps":
        incline, _ = parse_incline(tags.get("incline"))
        ramp = tags.get("ramp:wheelchair")
        values = {
            "feature_type": FeatureType.STEPS,
            "step_count": parse_step_count(tags.get("step_count")),
            "handrail": parse_bool(tags.get("handrail")),
            "ramp_wheelchair": ramp if ramp in ("yes", "no", "separate") else "",
            "incline_pct": incline,
        }
    elif is_way and highway in ("footway", "path", "pedestrian", "living_street"):
        incline, _ = parse_incline(tags.get("incline"))
        if incline is None or abs(incline) < STEEP_WAY_PCT:
            return None
        values = {"feature_type": FeatureType.STEEP_SLOPE, "incline_pct": incline}
    else:
        return None
    values["tactile_paving"] = parse_bool(tags.get("tactile_paving"))
    values["width_m"] = parse_length_m(tags.get("width"))
    surface = tags.get("surface", "")
    values["surface"] = surface if surface in _SURFACES else ""
    wheelchair = tags.get("wheelchair")
    values["wheelchair_tag"] = wheelchair if wheelchair in ("yes", "limited", "no") else ""
    return values


_SURFACES = set(Surface.values)


def _provenance(obj: Any, tags: dict[str, str], osm_type: str) -> dict[str, Any]:
    timestamp = obj.timestamp
    return {
        "source": DataSource.OSM,
        "osm_type": osm_type,
        "osm_id": obj.id,
        "osm_version": obj.version or None,
        "osm_tags": tags,
        "observed_at": timestamp.astimezone(UTC) if timestamp and timestamp.year > 1970 else None,
    }


def _way_line(way: Any) -> LineString | None:
    """The way's geometry from the nodes present; None when fewer than two are in the extract."""
    coords = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
    if len(coords) < 2:
        return None
    return LineString(coords, srid=4326)


def _area_or_point(line: LineString) -> Polygon | Point:
    """A closed way as its polygon (a car park's outline), otherwise its centroid."""
    if line.closed and len(line.coords) >= 4:
        polygon = Polygon(line.coords, srid=4326)
        if polygon.valid:
            return polygon
    point = line.centroid
    point.srid = 4326
    return point


class OsmPoisSource(Source):
    """Places, accessibility features and disabled parking from an OSM extract.

    Every element that becomes a record is also remembered as an ``OsmElementSnapshot`` (node
    position, way node list, version) so that an osmChange write-back can send the element
    unchanged except for the tags modugil changed.
    """

    name = "osm"
    description = "OpenStreetMap places, accessibility features and disabled parking (PBF or XML)"

    def __init__(self) -> None:
        super().__init__()
        self.snapshots: dict[
            tuple[str, int], tuple[int, float | None, float | None, list[int]]
        ] = {}

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        try:
            processor = osmium.FileProcessor(str(path)).with_locations()
        except RuntimeError as e:
            raise ImporterError(f"Cannot read OSM file: {e}", fields={"file": [str(e)]}) from e
        for index, obj in enumerate(processor, start=1):
            if obj.is_relation():
                continue
            tags = {t.k: t.v for t in obj.tags}
            if tags:
                yield from self._element(index, obj, tags)

    def _element(self, index: int, obj: Any, tags: dict[str, str]) -> Iterator[Record | RowOutcome]:
        is_way = obj.is_way()
        osm_type = "way" if is_way else "node"
        key = f"{osm_type}/{obj.id}"
        category = place_category(tags)
        named = bool(tags.get("name") or tags.get("name:ko") or tags.get("name:en"))
        # Unnamed POIs are listed when they are toilets or say something about accessibility.
        tagged = "wheelchair" in tags or "toilets:wheelchair" in tags
        as_place = category is not None and (
            named or tagged or category in (PlaceCategory.TOILET, PlaceCategory.OTHER)
        )
        feature = None if as_place else feature_values(tags, is_way)
        parking = disabled_parking_values(tags)
        if not as_place and feature is None and parking is None:
            return
        if is_way:
            line = _way_line(obj)
            if line is None:
                yield RowOutcome(
                    index, key, REJECTED, {"geom": ["Way's nodes are outside the extract."]}
                )
                return
        elif not obj.location.valid():
            return
        else:
            line = None
        node = None if is_way else Point(obj.location.lon, obj.location.lat, srid=4326)
        provenance = _provenance(obj, tags, osm_type)
        if provenance["observed_at"] is None:
            provenance.pop("observed_at")
        self._remember(obj, osm_type, node)
        if as_place:
            values = {**place_values(tags, category), **provenance}  # type: ignore[arg-type]
            if not values["name"]:
                values["name"] = (
                    "화장실" if category == PlaceCategory.TOILET else tags.get("amenity", "OSM")
                )
            point = node or line.centroid  # type: ignore[union-attr]
            point.srid = 4326
            yield Record(Place, key, values, point, index)
        elif feature is not None:
            yield Record(AccessibilityFeature, key, {**feature, **provenance}, node or line, index)
        if parking is not None:
            geom = node or _area_or_point(line)  # type: ignore[arg-type]
            yield Record(DisabledParkingSpot, key, {**parking, **provenance}, geom, index)

    def _remember(self, obj: Any, osm_type: str, node: Point | None) -> None:
        node_ids = [] if node is not None else [n.ref for n in obj.nodes]
        self.snapshots[(osm_type, obj.id)] = (
            obj.version or 0,
            node.x if node is not None else None,
            node.y if node is not None else None,
            node_ids,
        )

    def finish(self) -> None:
        """Store the element versions as seen."""
        store_snapshots(self.snapshots)
        self.snapshots = {}


def store_snapshots(
    snapshots: dict[tuple[str, int], tuple[int, float | None, float | None, list[int]]],
) -> None:
    """One row per element version; versions already stored are left as they are."""
    rows = [
        OsmElementSnapshot(osm_type=t, osm_id=i, version=v, lon=lon, lat=lat, node_ids=nodes)
        for (t, i), (v, lon, lat, nodes) in snapshots.items()
    ]
    OsmElementSnapshot.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
