"""A11yJSON PlaceInfo documents (accessibility.cloud ``/place-infos``, modugil's own A11yJSON
export) and raw Jaccede place records, as places with entrances, toilets and parking.

Rows are keyed by ``properties.sourceId`` (the dataset) and ``originalId``. A PlaceInfo that
modugil itself exported (``ids.modugil``) and that still exists here unchanged in key is left
alone: A11yJSON carries less than the database, so it must never overwrite its own origin.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Point
from django.db import models

from importers.base import REJECTED, UNCHANGED, Record, RowOutcome, Source
from importers.errors import ImporterError
from importers.exports.a11yjson import CATEGORY_IN, GRADE_IN
from importers.exports.native import identity
from importers.exports.selection import LAYERS
from importers.geojson import geometry, load_json
from mapping.models import DisabledParkingSpot, Place, PlaceCategory
from mapping.models import Source as DataSource

UNIT_TO_CM = {
    "cm": 1.0,
    "centimeter": 1.0,
    "m": 100.0,
    "meter": 100.0,
    "mm": 0.1,
    "in": 2.54,
    "inch": 2.54,
}
_QUANTITY = re.compile(r"^\s*(?:[<>=~!]+)?\s*(-?\d+(?:[.,]\d+)?)\s*([a-zA-Z%]*)")
FOREIGN_REASON = (
    "A11yJSON and Jaccede documents describe places worldwide (the sample is in Nuremberg)"
)


def quantity_cm(value: Any) -> float | None:
    """A11yJSON Length (``{"value": 90, "unit": "cm"}`` or ``"90 cm"``) in centimetres."""
    if isinstance(value, dict):
        number, unit = value.get("value"), str(value.get("unit") or "cm")
    elif isinstance(value, str) and (match := _QUANTITY.match(value)):
        number, unit = float(match.group(1).replace(",", ".")), match.group(2) or "cm"
    else:
        return None
    factor = UNIT_TO_CM.get(unit.lower())
    return None if number is None or factor is None else round(float(number) * factor, 1)


def quantity_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        number = value.get("value")
        return None if number is None else float(number)
    if isinstance(value, str) and (match := _QUANTITY.match(value)):
        return float(match.group(1).replace(",", "."))
    return None


def localized(value: Any, language: str = "ko") -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value:
        return str(value.get(language) or next(iter(value.values())))
    return ""


def _int(value: float | None) -> int | None:
    return None if value is None else round(value)


def entrance_values(props: dict[str, Any]) -> dict[str, Any]:
    door = props.get("door") or {}
    stairs = props.get("stairs")
    level = props.get("isLevel")
    has_steps = (
        True
        if stairs is not None
        else (False if level is True else (True if level is False else None))
    )
    threshold = quantity_cm(door.get("thresholdHeight"))
    return {
        "name": localized(props.get("name"))[:120],
        "is_main": props.get("isMainEntrance", True) is not False,
        "has_steps": has_steps,
        "step_count": _int(quantity_number((stairs or {}).get("count"))),
        "step_height_cm": quantity_cm((stairs or {}).get("stepHeight")),
        "has_threshold": None if threshold is None else threshold > 0,
        "threshold_height_cm": threshold,
        "has_ramp": props.get("hasFixedRamp"),
        "ramp_incline_pct": quantity_number(props.get("slopeAngle")),
        "door_width_cm": _int(quantity_cm(door.get("width"))),
        "is_automatic_door": door.get("isAutomatic"),
    }


def _address(value: Any) -> str:
    if isinstance(value, dict):
        if value.get("text") or value.get("full"):
            return localized(value.get("text") or value.get("full"))[:300]
        parts = [localized(value.get(k)) for k in ("state", "city", "district", "street", "house")]
        return " ".join(p for p in parts if p)[:300]
    return localized(value)[:300]


def place_values(props: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    accessibility = props.get("accessibility") or {}
    restroom = (accessibility.get("restrooms") or [{}])[0]
    parking = (accessibility.get("parking") or {}).get("forWheelchairUsers") or {}
    elevators = [
        e for e in accessibility.get("availableEquipment") or [] if e.get("category") == "elevator"
    ]
    name = props.get("name")
    values = {
        "source": DataSource.IMPORT,
        "name": (localized(name) or str(props.get("category") or "place"))[:200],
        "name_en": (name.get("en", "") if isinstance(name, dict) else "")[:200],
        "category": CATEGORY_IN.get(str(props.get("category", "")).lower(), PlaceCategory.OTHER),
        "address": _address(props.get("address")),
        "phone": str(props.get("phoneNumber") or "")[:40],
        "website": str(props.get("placeWebsiteUrl") or "")[:200],
        "wheelchair_tag": GRADE_IN.get(accessibility.get("wheelchairAccessibilityGrade", ""), ""),
        "toilet_accessible": restroom.get("isAccessibleWithWheelchair"),
        "toilet_grab_bars": restroom.get("hasSupportRails"),
        "toilet_door_width_cm": _int(
            quantity_cm(((restroom.get("entrance") or {}).get("door") or {}).get("width"))
        ),
        "parking_disabled_spaces": _int(quantity_number(parking.get("count"))),
        "has_elevator": True if elevators else None,
        "elevator_working": elevators[0].get("isWorking") if elevators else None,
        **_osm(props),
    }
    entrances = [
        entrance_values(e.get("properties", e)) for e in accessibility.get("entrances") or []
    ]
    return values, entrances


def parking_values(props: dict[str, Any]) -> dict[str, Any]:
    parking = (props.get("accessibility") or {}).get("parking") or {}
    wheelchair = parking.get("forWheelchairUsers") or {}

    def metres(key: str) -> float | None:
        cm = quantity_cm(wheelchair.get(key))
        return None if cm is None else round(cm / 100, 2)

    return {
        "source": DataSource.IMPORT,
        "lot_name": localized(props.get("name"))[:200],
        "address": _address(props.get("address")),
        "total_spaces": _int(quantity_number(parking.get("count"))),
        "disabled_spaces": _int(quantity_number(wheelchair.get("count"))),
        "has_signage": wheelchair.get("hasDedicatedSignage"),
        "space_width_m": metres("width"),
        "space_length_m": metres("length"),
        "distance_to_entrance_m": metres("distanceToEntrance"),
        **_osm(props),
    }


def _osm(props: dict[str, Any]) -> dict[str, Any]:
    ref = (props.get("ids") or {}).get("openstreetmap", "")
    osm_type, _, osm_id = ref.partition("/")
    if osm_type not in ("node", "way", "relation") or not osm_id.isdigit():
        return {}
    return {"osm_type": osm_type, "osm_id": int(osm_id), "osm_tags": dict(props.get("tags") or {})}


def _key(props: dict[str, Any], geometry: Any) -> str:
    for value in (
        props.get("originalId"),
        props.get("_id"),
        (props.get("ids") or {}).get("modugil"),
    ):
        if value:
            return str(value)[:120]
    digest = hashlib.sha256(
        json.dumps([geometry, props.get("name")], sort_keys=True).encode()
    ).hexdigest()
    return f"sha256:{digest[:32]}"


def _is_own(model: type[models.Model], props: dict[str, Any], dataset: str, key: str) -> bool:
    """This database's own row, exported with this identity (see ``exports.native.identity``)."""
    layer, _, pk = str((props.get("ids") or {}).get("modugil", "")).partition("/")
    if not pk.isdigit() or layer not in LAYERS:
        return False
    obj = model.all_objects.filter(pk=int(pk)).first()  # type: ignore[attr-defined]
    return obj is not None and identity(layer, obj) == (dataset, key)


def _features(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        return list(document.get("features") or [])
    if isinstance(document, dict) and "properties" in document:
        return [document]
    raise ImporterError(
        "Expected an A11yJSON PlaceInfo, a list of them or a FeatureCollection.",
        fields={"file": ["Not A11yJSON."]},
    )


class A11yJsonPlaces(Source):
    name = "a11yjson"
    description = "A11yJSON PlaceInfo (accessibility.cloud place-infos, modugil A11yJSON export)"
    check_service_area = False
    outside_service_area_reason = FOREIGN_REASON

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        for index, feature in enumerate(_features(load_json(path)), start=1):
            yield self._record(index, feature)

    def _record(self, index: int, feature: dict[str, Any]) -> Record | RowOutcome:
        props = feature.get("properties") or {}
        key = _key(props, feature.get("geometry"))
        dataset = str(props.get("sourceId") or self.dataset_name)[:80]
        own_layer = str((props.get("ids") or {}).get("modugil", "")).partition("/")[0]
        model: type[models.Model] = DisabledParkingSpot if own_layer == "parking" else Place
        if _is_own(model, props, dataset, key):
            return RowOutcome(index, key, UNCHANGED, flags=["own_record"])
        try:
            geom = geometry(feature)
        except ValueError as e:
            return RowOutcome(index, key, REJECTED, {"geometry": [str(e)]})
        if model is DisabledParkingSpot:
            return Record(model, key, parking_values(props), geom, index, dataset=dataset)
        values, entrances = place_values(props)
        return Record(model, key, values, geom, index, {"entrances": entrances}, dataset=dataset)


def jaccede_criteria(items: list[dict[str, Any]], path: tuple[str, ...] = ()) -> dict[str, str]:
    """Jaccede's nested criteria flattened to ``'Entrance/Door opening system': 'Automatic...'``."""
    flat: dict[str, str] = {}
    for item in items:
        here = (*path, str(item.get("label", "")))
        flat["/".join(here)] = str(item.get("value") or "")
        flat.update(jaccede_criteria(item.get("children") or [], here))
    return flat


JACCEDE_ACCESS = {"Total": "yes", "Partial": "limited", "None": "no", "No": "no"}


class JaccedePlaces(Source):
    """A raw Jaccede place (the accessibility.cloud import example): entrance door and width,
    wheelchair access, lift, lavatories and disabled parking, with every criterion kept."""

    name = "jaccede"
    description = "Jaccede place records (accessibility.cloud import example)"
    check_service_area = False
    outside_service_area_reason = FOREIGN_REASON

    def records(self, path: Path) -> Iterator[Record | RowOutcome]:
        document = load_json(path)
        places = document if isinstance(document, list) else [document]
        for index, place in enumerate(places, start=1):
            yield self._record(index, place)

    def _record(self, index: int, place: dict[str, Any]) -> Record | RowOutcome:
        key = str(place.get("google_place_id") or place.get("id") or "")
        try:
            geom = Point(float(place["longitude"]), float(place["latitude"]), srid=4326)
        except (KeyError, TypeError, ValueError):
            return RowOutcome(
                index, key, REJECTED, {"latitude/longitude": ["Missing or not numbers."]}
            )
        c = jaccede_criteria(place.get("accessibility") or [])
        category = (place.get("category") or {}).get("name", "")
        values: dict[str, Any] = {
            "source": DataSource.IMPORT,
            "name": str(place.get("name") or "")[:200],
            "category": CATEGORY_IN.get(category, PlaceCategory.OTHER),
            "address": str((place.get("address") or {}).get("full") or "")[:300],
            "phone": str(place.get("phone") or "")[:40],
            "website": str(place.get("website") or "")[:200],
            "wheelchair_tag": JACCEDE_ACCESS.get(c.get("Indoors/Wheelchair access", ""), ""),
            "has_elevator": True if any(k.endswith("/Lift(s)") for k in c) else None,
            "toilet_accessible": True
            if "adapted" in c.get("Services and facilities/Lavatories/Access", "")
            else None,
            "extra": {
                "has_disabled_parking": True if "Outside/Disabled parking spaces" in c else None,
                "jaccede_id": place.get("id"),
                "jaccede_url": place.get("url"),
                "criteria": c,
            },
        }
        modified = place.get("modified")
        if modified:
            values["observed_at"] = datetime.fromisoformat(modified)
        door_width = quantity_cm(c.get("Entrance/Width of entrance door (cm)", ""))
        entrance = {
            "name": "Entrance",
            "is_main": "Entrance/The entrance assessed is the main entrance" in c,
            "door_width_cm": _int(door_width),
            "is_automatic_door": True
            if "Automatic" in c.get("Entrance/Door opening system", "")
            else None,
        }
        return Record(Place, key, values, geom, index, {"entrances": [entrance]})
