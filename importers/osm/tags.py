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
