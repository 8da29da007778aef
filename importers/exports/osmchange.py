"""OSM write-back as an osmChange file for JOSM: only the tags modugil changed, against the
OSM version modugil saw.

For every element imported from OSM, the accessibility tags are rendered twice through the
same code: once from the tags as imported (``osm_tags``, parsed by the importer) and once from
the current, reviewed values. Keys whose rendering differs are modugil's changes; they are
applied on top of the imported tag set and sent with the imported ``version``. If someone
edited the element in OSM since, the upload fails with a version conflict in JOSM instead of
replaying a stale tag set. Node positions and way node lists come from the import snapshot,
so nothing but the changed tags moves.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from importers.exports.attribution import ODBL, OSM
from importers.models import OsmElementSnapshot
from importers.osm.pois import feature_values, place_values
from importers.sources.osm_a11y_tags import disabled_parking_values
from mapping.models import (
    AccessibilityFeature,
    DisabledParkingSpot,
    Place,
    PlaceCategory,
    ReviewStatus,
)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _number(value: float | None, suffix: str = "") -> str | None:
    return None if value is None else f"{value:g}{suffix}"


def place_tags(values: dict[str, Any], category: str) -> dict[str, str | None]:
    accessible_toilet = _yes_no(values.get("toilet_accessible"))
    tags = {
        "wheelchair": values.get("wheelchair_tag") or None,
        "wheelchair:description": (values.get("extra") or {}).get("wheelchair_description"),
    }
    if category == PlaceCategory.TOILET:
        tags["wheelchair"] = tags["wheelchair"] or accessible_toilet
    else:
        tags["toilets:wheelchair"] = accessible_toilet
    if category == PlaceCategory.PARKING:
        tags["capacity:disabled"] = _number(values.get("parking_disabled_spaces"))
    return tags


def feature_tags(values: dict[str, Any]) -> dict[str, str | None]:
    height = values.get("kerb_height_cm")
    return {
        "kerb": values.get("kerb") or None,
        "kerb:height": None if height is None else f"{height / 100:g}",
        "step_count": _number(values.get("step_count")),
        "handrail": _yes_no(values.get("handrail")),
        "ramp:wheelchair": values.get("ramp_wheelchair") or None,
        "incline": _number(values.get("incline_pct"), "%"),
        "width": _number(values.get("width_m")),
        "surface": values.get("surface") or None,
        "smoothness": values.get("smoothness") or None,
        "tactile_paving": _yes_no(values.get("tactile_paving")),
        "wheelchair": values.get("wheelchair_tag") or None,
    }


def parking_tags(values: dict[str, Any]) -> dict[str, str | None]:
    return {"capacity:disabled": _number(values.get("disabled_spaces"))}


def _current(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def changed_tags(obj: Any) -> dict[str, str]:
    """Tags whose value modugil changed since the import (never deletions: unknown here is
    not wrong there)."""
    imported_tags = obj.osm_tags or {}
    if isinstance(obj, Place):
        before = place_tags(place_values(imported_tags, obj.category), obj.category)
        after = place_tags(_current(obj), obj.category)
    elif isinstance(obj, AccessibilityFeature):
        parsed = feature_values(imported_tags, obj.osm_type == "way") or {}
        before, after = feature_tags(parsed), feature_tags(_current(obj))
    else:
        before = parking_tags(disabled_parking_values(imported_tags) or {})
        after = parking_tags(_current(obj))
    return {k: v for k, v in after.items() if v is not None and v != before.get(k)}


@dataclass
class OsmChange:
    xml: str
    modified: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


def candidates(reviewed_only: bool = True, datasets: Iterable[str] = ()) -> Iterable[Any]:
    """Live records imported from OSM (validated ones only, unless told otherwise)."""
    condition = Q(osm_id__isnull=False, osm_version__isnull=False)
    if reviewed_only:
        condition &= Q(status=ReviewStatus.VALIDATED)
    if datasets:
        condition &= Q(source_dataset__in=list(datasets))
    for model in (Place, AccessibilityFeature, DisabledParkingSpot):
        yield from model.objects.filter(condition).order_by("osm_type", "osm_id")  # type: ignore[attr-defined]


def build_osmchange(objects: Iterable[Any]) -> OsmChange:
    """Group changes per OSM element and write one ``<modify>`` per changed element."""
    elements: dict[tuple[str, int], dict[str, Any]] = {}
    result = OsmChange(xml="")
    for obj in objects:
        changes = changed_tags(obj)
        if not changes:
            continue
        element = elements.setdefault(
            (obj.osm_type, obj.osm_id),
            {"version": obj.osm_version, "tags": dict(obj.osm_tags), "changes": {}, "sources": []},
        )
        if element["version"] != obj.osm_version:
            result.skipped.append(
                {
                    "element": f"{obj.osm_type}/{obj.osm_id}",
                    "reason": "records saw different versions",
                }
            )
            continue
        for key, value in changes.items():
            if element["changes"].get(key, value) != value:
                result.skipped.append(
                    {"element": f"{obj.osm_type}/{obj.osm_id}", "reason": f"conflicting {key}"}
                )
                continue
            element["changes"][key] = value
        element["sources"].append(f"{obj._meta.model_name}:{obj.pk}")
    root = ET.Element("osmChange", version="0.6", generator="modugil")
    root.append(
        ET.Comment(
            f" Map data {OSM}, {ODBL}. Upload with JOSM; a version conflict means OSM changed since. "
        )
    )
    modify = ET.SubElement(root, "modify")
    snapshots = _snapshots(elements)
    for (osm_type, osm_id), element in sorted(elements.items()):
        snapshot = snapshots.get((osm_type, osm_id))
        name = f"{osm_type}/{osm_id}"
        if snapshot is None or snapshot.version != element["version"]:
            result.skipped.append(
                {
                    "element": name,
                    "reason": "no import snapshot of this version: re-import the extract",
                }
            )
            continue
        modify.append(
            _element(osm_type, osm_id, snapshot, {**element["tags"], **element["changes"]})
        )
        result.modified.append(
            {
                "element": name,
                "version": element["version"],
                "changes": element["changes"],
                "records": element["sources"],
            }
        )
    ET.indent(root)
    result.xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    )
    return result


def _snapshots(elements: dict[tuple[str, int], Any]) -> dict[tuple[str, int], OsmElementSnapshot]:
    """The snapshot of exactly the version each element's records saw."""
    ids = [osm_id for _, osm_id in elements]
    return {
        (s.osm_type, s.osm_id): s
        for s in OsmElementSnapshot.objects.filter(osm_id__in=ids)
        if elements.get((s.osm_type, s.osm_id), {}).get("version") == s.version
    }


def _element(
    osm_type: str, osm_id: int, snapshot: OsmElementSnapshot, tags: dict[str, str]
) -> ET.Element:
    attributes = {"id": str(osm_id), "version": str(snapshot.version)}
    if osm_type == "node":
        attributes |= {"lat": f"{snapshot.lat:.7f}", "lon": f"{snapshot.lon:.7f}"}
    element = ET.Element(osm_type, attributes)
    for ref in snapshot.node_ids if osm_type == "way" else []:
        ET.SubElement(element, "nd", ref=str(ref))
    for key in sorted(tags):
        ET.SubElement(element, "tag", k=key, v=str(tags[key]))
    return element
