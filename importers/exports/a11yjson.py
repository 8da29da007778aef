"""A11yJSON (accessibility.cloud PlaceInfo) export of places and disabled parking, validated
against the published A11yJSON types (``importers/schemas/a11yjson-placeinfo.schema.json``).

Measurements become A11yJSON quantities (``{"value": 90, "unit": "cm"}``); unknown stays
absent (A11yJSON: undefined = unknown). Fields A11yJSON cannot express stay in the native
exports. The vocabulary maps here are shared with the A11yJSON importer.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from jsonschema import Draft202012Validator

from importers.exports.attribution import attribution_for, notice
from importers.exports.native import identity
from importers.exports.selection import LAYERS, Selection
from mapping.models import DisabledParkingSpot, Place, PlaceCategory

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "a11yjson-placeinfo.schema.json"
KOREAN_PERMIT = {"ko": "장애인자동차표지", "en": "Korean disabled parking permit"}

CATEGORY: dict[str, str] = {
    PlaceCategory.TOURIST_ATTRACTION: "attraction",
    PlaceCategory.RESTAURANT: "restaurant",
    PlaceCategory.CAFE: "cafe",
    PlaceCategory.SHOP: "shop",
    PlaceCategory.LODGING: "hotel",
    PlaceCategory.PUBLIC_BUILDING: "public_building",
    PlaceCategory.STATION: "station",
    PlaceCategory.TOILET: "toilets",
    PlaceCategory.HOSPITAL: "hospital",
    PlaceCategory.PARKING: "parking",
    PlaceCategory.PARK: "park",
    PlaceCategory.CULTURE: "culture",
    PlaceCategory.WHEELCHAIR_CHARGER: "wheelchair_charging_station",
    PlaceCategory.OTHER: "other",
}
# accessibility.cloud and Jaccede names on the way in
CATEGORY_IN: dict[str, str] = {
    **{v: k for k, v in CATEGORY.items()},
    "lodging": PlaceCategory.LODGING,
    "toilet": PlaceCategory.TOILET,
    "museum": PlaceCategory.CULTURE,
    "fast_food": PlaceCategory.RESTAURANT,
    "train_station": PlaceCategory.STATION,
    "bus_station": PlaceCategory.STATION,
    "doctors": PlaceCategory.HOSPITAL,
    "pharmacy": PlaceCategory.HOSPITAL,
}
GRADE = {"yes": "fully", "limited": "partially", "no": "not"}
GRADE_IN = {v: k for k, v in GRADE.items()}


def length(value: float | None, unit: str) -> dict[str, Any] | None:
    return None if value is None else {"value": value, "unit": unit}


def _compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop unknowns (None) and empty containers: absent means unknown in A11yJSON."""
    return {k: v for k, v in mapping.items() if v is not None and v != {} and v != []}


def _name(primary: str, english: str = "") -> dict[str, str]:
    return _compact({"ko": primary or None, "en": english or None})


def _ids(layer: str, obj: Any) -> dict[str, str]:
    ids = {"modugil": f"{layer}/{obj.pk}"}
    if obj.osm_type and obj.osm_id:
        ids["openstreetmap"] = f"{obj.osm_type}/{obj.osm_id}"
    return ids


def _common(
    layer: str, obj: Any, category: str, name: dict[str, str], address: str
) -> dict[str, Any]:
    return _compact(
        {
            "category": category,
            "name": name or None,
            "address": {"text": address, "countryCode": "KOR"} if address else None,
            "sourceId": identity(layer, obj)[0],
            "originalId": identity(layer, obj)[1],
            "ids": _ids(layer, obj),
            "tags": {str(k): str(v) for k, v in obj.osm_tags.items()} or None,
        }
    )


def entrance_properties(entrance: Any) -> dict[str, Any]:
    level = None
    if entrance.has_steps is False and entrance.has_threshold is not True:
        level = True
    elif entrance.has_steps:
        level = False
    stairs = _compact(
        {"count": entrance.step_count, "stepHeight": length(entrance.step_height_cm, "cm")}
    )
    door = _compact(
        {
            "width": length(entrance.door_width_cm, "cm"),
            "thresholdHeight": length(entrance.threshold_height_cm, "cm"),
            "isAutomatic": entrance.is_automatic_door,
        }
    )
    return _compact(
        {
            "name": _name(entrance.name),
            "isMainEntrance": entrance.is_main,
            "isLevel": level,
            "hasFixedRamp": entrance.has_ramp,
            "slopeAngle": length(entrance.ramp_incline_pct, "%"),
            "stairs": stairs if entrance.has_steps else None,
            "door": door,
        }
    )


def place_info(place: Place) -> dict[str, Any]:
    accessibility = _compact(
        {
            "wheelchairAccessibilityGrade": GRADE.get(place.wheelchair_tag),
            "entrances": [{"properties": entrance_properties(e)} for e in place.entrances.all()],
            "restrooms": [
                _compact(
                    {
                        "isAccessibleWithWheelchair": place.toilet_accessible,
                        "hasSupportRails": place.toilet_grab_bars,
                        "entrance": _compact(
                            {"door": _compact({"width": length(place.toilet_door_width_cm, "cm")})}
                        ),
                    }
                )
            ]
            if place.toilet_accessible is not None or place.toilet_grab_bars is not None
            else None,
            "parking": {"forWheelchairUsers": {"count": place.parking_disabled_spaces}}
            if place.parking_disabled_spaces is not None
            else None,
            "availableEquipment": [
                _compact({"category": "elevator", "isWorking": place.elevator_working})
            ]
            if place.has_elevator
            else None,
        }
    )
    props = _common(
        "places", place, CATEGORY[place.category], _name(place.name, place.name_en), place.address
    )
    props.update(
        _compact(
            {
                "phoneNumber": place.phone or None,
                "placeWebsiteUrl": place.website or None,
                "accessibility": accessibility,
            }
        )
    )
    return {"type": "Feature", "geometry": json.loads(place.geom.json), "properties": props}


def parking_info(spot: DisabledParkingSpot) -> dict[str, Any]:
    wheelchair = _compact(
        {
            "count": spot.disabled_spaces,
            "hasDedicatedSignage": spot.has_signage,
            "width": length(spot.space_width_m, "m"),
            "length": length(spot.space_length_m, "m"),
            "distanceToEntrance": length(spot.distance_to_entrance_m, "m"),
            "neededParkingPermits": [KOREAN_PERMIT]
            if spot.permit_type == "disabled_permit"
            else None,
        }
    )
    props = _common("parking", spot, "parking", _name(spot.lot_name), spot.address)
    props["accessibility"] = {
        "parking": _compact({"count": spot.total_spaces, "forWheelchairUsers": wheelchair})
    }
    centre = spot.geom if spot.geom.geom_type == "Point" else spot.geom.point_on_surface
    return {"type": "Feature", "geometry": json.loads(centre.json), "properties": props}


def a11yjson_document(selection: Selection) -> dict[str, Any]:
    """Places and parking of the selection as an A11yJSON PlaceInfo FeatureCollection."""
    features: list[dict[str, Any]] = []
    attributions: set[str] = set()
    for name, build in (("places", place_info), ("parking", parking_info)):
        if name not in selection.layers:
            continue
        for obj in selection.queryset(LAYERS[name]).iterator(chunk_size=2000):
            features.append(build(obj))  # type: ignore[operator]
            attributions.add(attribution_for(obj.source, obj.source_dataset, obj.osm_id))
    return {
        "type": "FeatureCollection",
        "generator": "modugil",
        "generated_at": timezone.now().isoformat(),
        "features": features,
        "attribution": notice(attributions),
    }


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def a11yjson_errors(document: dict[str, Any], limit: int = 20) -> list[str]:
    """Where ``document`` breaks the A11yJSON types (empty when it validates)."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:limit]
    ]
