"""Pure conversions from OSM tag values to measured quantities; unknown stays ``None``.

Shared by the place/feature importer and the routing graph builder.
"""

from __future__ import annotations

import math
import re

# kerb=* -> assumed height in cm when no explicit kerb:height is given. ``kerb=yes`` says a kerb
# exists but not how high: unknown (None), never passable by default.
#   flush / no .......... 0 cm   (level with the road)
#   lowered ............. 3 cm   (dropped kerb; openrouteservice also assumes 3 cm)
#   rolled .............. 4 cm   (rounded, mountable)
#   raised .............. 12 cm  (regular kerb; Korean standard kerbs are 10-25 cm, 12 is conservative)
#   yes / regular ....... None / 12 cm
KERB_HEIGHT_CM: dict[str, float | None] = {
    "flush": 0.0,
    "no": 0.0,
    "none": 0.0,
    "at_grade": 0.0,
    "lowered": 3.0,
    "dropped": 3.0,
    "sloped": 3.0,
    "rolled": 4.0,
    "raised": 12.0,
    "regular": 12.0,
    "yes": None,
}
# sloped_curb=* (older tagging) -> kerb value
SLOPED_CURB_TO_KERB = {"yes": "lowered", "both": "lowered", "at_grade": "flush", "no": "raised"}
KERB_VALUES = ("raised", "lowered", "flush", "rolled", "no")

_NUMBER = r"([-+]?\d+(?:[.,]\d+)?)"


def _float(text: str) -> float:
    return float(text.replace(",", "."))


def parse_length_m(value: str | None) -> float | None:
    """'1.5', '1.5 m', '150 cm', '1500 mm', "4'" -> metres; anything unclear -> None."""
    if not value:
        return None
    text = value.strip().lower()
    match = re.fullmatch(_NUMBER + r"\s*(m|cm|mm|'|ft)?", text)
    if not match:
        return None
    number, unit = _float(match.group(1)), match.group(2) or "m"
    factor = {"m": 1.0, "cm": 0.01, "mm": 0.001, "'": 0.3048, "ft": 0.3048}[unit]
    result = number * factor
    return result if result > 0 else None


def parse_kerb_height_cm(value: str | None) -> float | None:
    """kerb:height: '0.03' (metres by OSM convention), '3 cm', '30 mm'; bare numbers >= 1 are cm."""
    if not value:
        return None
    text = value.strip().lower()
    match = re.fullmatch(_NUMBER + r"\s*(m|cm|mm)?", text)
    if not match:
        return None
    number, unit = _float(match.group(1)), match.group(2)
    if unit == "cm" or (unit is None and number >= 1):
        cm = number
    elif unit == "mm":
        cm = number / 10
    else:
        cm = number * 100
    return round(cm, 1) if 0 <= cm <= 100 else None


def kerb_value(tags: dict[str, str]) -> str | None:
    """Normalised kerb class from kerb=*, curb=*, sloped_curb=* / sloped_kerb=*."""
    value = tags.get("kerb") or tags.get("curb")
    if value in KERB_VALUES:
        return value
    sloped = tags.get("sloped_curb") or tags.get("sloped_kerb")
    if sloped in SLOPED_CURB_TO_KERB:
        return SLOPED_CURB_TO_KERB[sloped]
    return None


def kerb_height_cm(tags: dict[str, str]) -> float | None:
    """Explicit kerb:height wins; otherwise the class table above; otherwise unknown."""
    explicit = parse_kerb_height_cm(tags.get("kerb:height") or tags.get("curb:height"))
    if explicit is not None:
        return explicit
    value = tags.get("kerb") or tags.get("curb")
    if value in KERB_HEIGHT_CM:
        return KERB_HEIGHT_CM[value]
    normalised = kerb_value(tags)
    return KERB_HEIGHT_CM.get(normalised) if normalised else None


def parse_incline(value: str | None) -> tuple[float | None, int | None]:
    """incline=* -> (signed percent along the way, direction sign).

    '12%', '-5 %', '5°'/'5 deg' (converted with tan), '0', 'up' / 'down' (sign only).
    Returns (None, None) when unknown.
    """
    if not value:
        return None, None
    text = value.strip().lower()
    if text in ("up", "yes"):
        return None, 1
    if text == "down":
        return None, -1
    if text in ("flat", "level", "no"):
        return 0.0, 0
    match = re.fullmatch(_NUMBER + r"\s*(%|°|deg|degrees?)?", text)
    if not match:
        return None, None
    number, unit = _float(match.group(1)), match.group(2)
    percent = (
        math.tan(math.radians(number)) * 100
        if unit in ("°", "deg", "degree", "degrees")
        else number
    )
    if abs(percent) > 100:
        return None, None
    sign = 0 if percent == 0 else (1 if percent > 0 else -1)
    return round(percent, 2), sign


def parse_bool(value: str | None) -> bool | None:
    if value in ("yes", "true", "1", "both", "left", "right"):
        return True
    if value in ("no", "false", "0", "none"):
        return False
    return None


def parse_step_count(value: str | None) -> int | None:
    if not value:
        return None
    try:
        count = int(value.strip())
    except ValueError:
        return None
    return count if 0 < count <= 500 else None


def crossing_kind(tags: dict[str, str]) -> str | None:
    """Normalised crossing=*: traffic_signals, marked, unmarked, uncontrolled, no."""
    value = tags.get("crossing")
    if value in ("zebra", "marked"):
        return "marked"
    if value in ("traffic_signals", "unmarked", "uncontrolled", "no"):
        return value
    if tags.get("crossing:signals") == "yes" or tags.get("highway") == "traffic_signals":
        return "traffic_signals"
    if tags.get("crossing:markings") not in (None, "no"):
        return "marked"
    return None


# --- Pedestrian network (routing graph) -----------------------------------------------------------
# Kerb class synonyms seen in the wild (kerb=* and the American curb=*), normalised to the OSM
# kerb vocabulary. ``yes`` stays ``yes``: a kerb exists, of unknown kind and height.
KERB_SYNONYMS = {
    "raised": "raised",
    "regular": "raised",
    "normal": "raised",
    "lowered": "lowered",
    "dropped": "lowered",
    "sloped": "lowered",
    "flush": "flush",
    "at_grade": "flush",
    "rolled": "rolled",
    "no": "no",
    "none": "no",
    "yes": "yes",
}

# highway=* values whose ways pedestrians walk along (their own path or the road's sidewalks).
FOOTPATH_HIGHWAYS = {"footway", "pedestrian", "living_street", "steps", "path", "corridor", "track"}
ROAD_HIGHWAYS = {
    "service",
    "residential",
    "unclassified",
    "road",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "trunk",
    "trunk_link",
}
FOOT_ALLOWED = {"yes", "designated", "permissive", "official", "destination"}
FOOT_DENIED = {"no", "private", "use_sidepath", "discouraged"}
ACCESS_DENIED = {"no", "private", "military"}
# Point barriers other than kerbs, in the order of the graph vocabulary.
BARRIER_VALUES = (
    "bollard",
    "gate",
    "lift_gate",
    "swing_gate",
    "kissing_gate",
    "stile",
    "turnstile",
    "full-height_turnstile",
    "cycle_barrier",
    "block",
    "chain",
    "entrance",
)


def kerb_kind(tags: dict[str, str]) -> str | None:
    """Kerb class from kerb=*, curb=*, sloped_curb=* with synonyms (curb=sloped -> lowered).

    ``barrier=kerb`` without a class gives ``yes`` (a kerb of unknown kind); no kerb tag gives None.
    """
    value = tags.get("kerb") or tags.get("curb")
    if value and ";" in value:  # e.g. "flush;lowered": assume the higher kerb (conservative)
        kinds = [KERB_SYNONYMS[v.strip()] for v in value.split(";") if v.strip() in KERB_SYNONYMS]
        known = [k for k in kinds if KERB_HEIGHT_CM.get(k) is not None]
        if known:
            return max(known, key=lambda k: KERB_HEIGHT_CM[k] or 0.0)
        value = kinds[0] if kinds else None
    if value in KERB_SYNONYMS:
        return KERB_SYNONYMS[value]
    sloped = tags.get("sloped_curb") or tags.get("sloped_kerb")
    if sloped in SLOPED_CURB_TO_KERB:
        return SLOPED_CURB_TO_KERB[sloped]
    if tags.get("barrier") == "kerb" or tags.get("kerb:height") or tags.get("curb:height"):
        return "yes"
    return None


def kerb_height_for_kind(tags: dict[str, str]) -> float | None:
    """Kerb height in cm: explicit kerb:height, else the class table; ``yes`` stays unknown."""
    kind = kerb_kind(tags)
    explicit = parse_kerb_height_cm(tags.get("kerb:height") or tags.get("curb:height"))
    if explicit is not None:
        return explicit
    return KERB_HEIGHT_CM.get(kind) if kind and kind != "yes" else None


def foot_exclusion(tags: dict[str, str]) -> str | None:
    """Why pedestrians may not use this way (``foot_no``, ``access_private``...), or None."""
    foot = tags.get("foot")
    if foot in FOOT_DENIED:
        return f"foot_{foot}"
    if foot in FOOT_ALLOWED:
        return None
    access = tags.get("access")
    if access in ACCESS_DENIED:
        return f"access_{access}"
    return None


def pedestrian_way_kind(tags: dict[str, str]) -> str | None:
    """The kind of walkable way (sidewalk, crossing, steps, escalator, residential...) or None.

    Cycleways count only where foot is explicitly allowed; trunk roads only with a sidewalk or
    foot permission; motorways, construction and proposed ways never. Access rules are
    checked separately by :func:`foot_exclusion`.
    """
    highway = tags.get("highway")
    if not highway or (tags.get("area") == "yes" and highway not in ("pedestrian", "footway")):
        return None
    if highway == "footway":
        footway = tags.get("footway")
        return footway if footway in ("sidewalk", "crossing", "traffic_island") else "footway"
    if highway == "steps":
        return "escalator" if tags.get("conveying") not in (None, "no") else "steps"
    if highway in ("elevator", "platform"):
        return highway
    if highway in FOOTPATH_HIGHWAYS:
        return highway
    if highway in ("cycleway", "bridleway"):
        return highway if tags.get("foot") in FOOT_ALLOWED else None
    if highway in ROAD_HIGHWAYS:
        base = highway.removesuffix("_link")
        base = "unclassified" if base == "road" else base
        if base == "trunk" and tags.get("foot") not in FOOT_ALLOWED and not has_sidewalk(tags):
            return None
        return base
    return None


def sidewalk_value(tags: dict[str, str]) -> str | None:
    """sidewalk=* and sidewalk:left/right/both=* normalised to no/left/right/both/separate."""
    value = tags.get("sidewalk") or tags.get("sidewalk:both")
    if value in ("both", "left", "right", "separate", "no"):
        return value
    if value in ("none", "false"):
        return "no"
    if value == "yes":
        return "both"
    left, right = tags.get("sidewalk:left"), tags.get("sidewalk:right")
    sides = {"left": left, "right": right}
    present = [side for side, v in sides.items() if v == "yes"]
    if len(present) == 2:
        return "both"
    if present:
        return present[0]
    if "separate" in (left, right):
        return "separate"
    if left == "no" and right == "no":
        return "no"
    return None


def has_sidewalk(tags: dict[str, str]) -> bool:
    return sidewalk_value(tags) in ("both", "left", "right", "separate")


def sidewalk_tag(tags: dict[str, str], key: str) -> str | None:
    """A sidewalk property of a road (``sidewalk:both:surface``, ``sidewalk:surface``...)."""
    for prefix in ("sidewalk:both:", "sidewalk:", "sidewalk:left:", "sidewalk:right:"):
        value = tags.get(prefix + key)
        if value:
            return value
    return None


def foot_oneway(tags: dict[str, str]) -> int:
    """+1 walkable only along the way, -1 only against it, 0 both directions.

    ``oneway=yes`` binds pedestrians only on footpaths; escalators follow ``conveying``.
    """
    if tags.get("highway") == "steps" and tags.get("conveying") in ("forward", "backward"):
        return 1 if tags["conveying"] == "forward" else -1
    value = tags.get("oneway:foot")
    if value is None and tags.get("highway") in FOOTPATH_HIGHWAYS | {"steps"}:
        value = tags.get("oneway")
    if value in ("yes", "true", "1"):
        return 1
    if value == "-1":
        return -1
    return 0


def structure_flags(tags: dict[str, str]) -> int:
    """Bit set: 1 bridge, 2 tunnel, 4 covered, 8 indoor (DEM grades are meaningless there)."""
    flags = 0
    if tags.get("bridge") not in (None, "no"):
        flags |= 1
    if tags.get("tunnel") not in (None, "no"):
        flags |= 2
    if tags.get("covered") not in (None, "no"):
        flags |= 4
    if tags.get("indoor") not in (None, "no") or tags.get("highway") == "corridor":
        flags |= 8
    return flags


def wheelchair_value(value: str | None) -> str | None:
    """wheelchair=* -> yes / limited / no (designated counts as yes); anything else unknown."""
    if value in ("yes", "designated"):
        return "yes"
    if value in ("limited", "no"):
        return value
    return None


def barrier_value(tags: dict[str, str]) -> str | None:
    """A point barrier other than a kerb (bollard, gate, stile...) or None."""
    value = tags.get("barrier")
    if value is None or value == "kerb":
        return None
    return value if value in BARRIER_VALUES else "other"


# surface=* values outside our vocabulary, mapped to the nearest ranked value.
SURFACE_SYNONYMS = {
    "unhewn_cobblestone": "cobblestone",
    "cobblestone:flattened": "sett",
    "stone": "sett",
    "bricks": "paving_stones",
    "brick": "paving_stones",
    "earth": "dirt",
    "clay": "dirt",
    "pebblestone": "gravel",
    "rock": "ground",
    "woodchips": "ground",
    "artificial_turf": "grass",
    "tartan": "paved",
    "rubber": "paved",
    "metal_grid": "metal",
}


def surface_value(value: str | None, vocabulary: set[str]) -> str | None:
    """A surface in ``vocabulary`` (synonyms mapped), or None when missing or unrecognised."""
    if not value:
        return None
    value = value.strip().lower()
    value = SURFACE_SYNONYMS.get(value, value)
    return value if value in vocabulary else None
