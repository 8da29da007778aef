"""A place's yes / limited / no is derived per profile from measurements, never stored."""

from __future__ import annotations

import pytest

from mapping.ratings import rate_place
from routing.profiles import build_profile
from tests.conftest import make_place

pytestmark = pytest.mark.django_db

MANUAL = build_profile("manual_wheelchair")
WALKER = build_profile("walker_cane")


@pytest.mark.parametrize(
    ("entrance", "manual", "walker"),
    [
        ({"has_steps": False, "door_width_cm": 95}, "yes", "yes"),
        ({"has_steps": False}, "limited", "limited"),
        ({"has_steps": True, "step_count": 1, "step_height_cm": 2}, "limited", "limited"),
        ({"has_steps": True, "step_count": 3, "step_height_cm": 15}, "no", "limited"),
        (
            {"has_steps": True, "has_ramp": True, "ramp_incline_pct": 6, "door_width_cm": 90},
            "yes",
            "yes",
        ),
        ({"has_steps": True, "has_ramp": True, "ramp_incline_pct": 12}, "no", "limited"),
        ({"has_steps": False, "door_width_cm": 70}, "no", "yes"),
        ({}, "unknown", "unknown"),
    ],
)
def test_entrance_measurements_give_a_grade_per_profile(entrance, manual, walker) -> None:
    place = make_place(entrances=[entrance])
    assert rate_place(place, MANUAL).grade == manual
    assert rate_place(place, WALKER).grade == walker


def test_no_entrance_data_is_unknown_and_the_best_entrance_decides() -> None:
    assert rate_place(make_place(), MANUAL).grade == "unknown"
    place = make_place(
        entrances=[{"has_steps": True, "step_count": 5}, {"has_steps": False, "door_width_cm": 100}]
    )
    assert rate_place(place, MANUAL).grade == "yes"


def test_a_known_inaccessible_toilet_caps_the_grade() -> None:
    place = make_place(
        entrances=[{"has_steps": False, "door_width_cm": 100}], toilet_accessible=False
    )
    rating = rate_place(place, MANUAL)
    assert rating.grade == "limited" and "no accessible toilet" in rating.reasons
