"""Derive a yes / limited / no / unknown rating for a place from its measurements and a profile.

The rating is never stored: it is computed per request from measured values (A11yJSON's
"describe objects, not people"). ``reasons`` say what decided it, in the user's terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mapping.models import Entrance, Place
from routing.profiles import Profile

Grade = Literal["yes", "limited", "no", "unknown"]

# Wheelmap's "limited": one step of at most 7 cm.
LIMITED_STEP_CM = 7.0


@dataclass
class Rating:
    grade: Grade
    reasons: list[str] = field(default_factory=list)


def _entrance_grade(entrance: Entrance, profile: Profile) -> tuple[Grade, str]:
    max_step_cm = profile.max_kerb_height_cm
    min_door_cm = profile.min_width_m * 100
    if entrance.door_width_cm is not None and entrance.door_width_cm < min_door_cm:
        return "no", f"door {entrance.door_width_cm} cm < {min_door_cm:.0f} cm"
    steps = entrance.has_steps or (entrance.step_count or 0) > 0
    if steps and not entrance.has_ramp:
        height = entrance.step_height_cm
        if profile.max_steps and (entrance.step_count or 1) <= profile.max_steps:
            return "limited", f"{entrance.step_count or '?'} step(s), within your step limit"
        if height is not None and (entrance.step_count or 1) == 1 and height <= max_step_cm:
            return "limited", f"one step of {height:g} cm"
        return "no", "steps without a ramp"
    threshold_cm = entrance.threshold_height_cm if entrance.has_threshold else None
    if threshold_cm is not None and threshold_cm > max_step_cm:
        return "no", f"threshold {threshold_cm:g} cm > {max_step_cm:g} cm"
    ramp_pct = entrance.ramp_incline_pct if entrance.has_ramp else None
    if ramp_pct is not None and ramp_pct > profile.max_uphill_pct:
        return "no", f"ramp {ramp_pct:g}% > {profile.max_uphill_pct:g}%"
    if entrance.has_steps is None and entrance.step_count is None and not entrance.has_ramp:
        return "unknown", "steps at the entrance not recorded"
    if entrance.has_threshold and entrance.threshold_height_cm is None:
        return "limited", "door threshold of unknown height"
    if entrance.door_width_cm is None:
        return "limited", "level entrance, door width not measured"
    return "yes", "level entrance, door wide enough"


_ORDER: dict[Grade, int] = {"yes": 3, "limited": 2, "unknown": 1, "no": 0}


def rate_place(place: Place, profile: Profile) -> Rating:
    """Best entrance decides; a known inaccessible toilet caps the grade at limited."""
    entrances = list(place.entrances.all())
    if not entrances:
        return Rating("unknown", ["no entrance information"])
    graded = [_entrance_grade(e, profile) for e in entrances]
    grade, reason = max(graded, key=lambda g: _ORDER[g[0]])
    reasons = [reason]
    if grade == "yes" and place.toilet_accessible is False:
        grade, reasons = "limited", [*reasons, "no accessible toilet"]
    return Rating(grade, reasons)
