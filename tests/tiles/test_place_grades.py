"""The SQL place grade used in tiles agrees with mapping.ratings.rate_place, for every profile."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapping.models import Place
from mapping.ratings import rate_place
from routing.profiles import PRESETS, build_profile
from tests.conftest import make_place
from tests.tiles.conftest import by_id, decode, tile_url
from tiles.layers.place_grades import with_grade

pytestmark = pytest.mark.django_db

maybe_bool = st.none() | st.booleans()
entrances = st.fixed_dictionaries(
    {
        "has_steps": maybe_bool,
        "step_count": st.none() | st.integers(0, 12),
        "step_height_cm": st.none() | st.sampled_from([0.0, 2.0, 3.0, 5.5, 6.0, 7.0, 15.0]),
        "has_threshold": maybe_bool,
        "threshold_height_cm": st.none() | st.sampled_from([0.0, 1.0, 3.0, 6.0, 8.5]),
        "has_ramp": maybe_bool,
        "ramp_incline_pct": st.none() | st.sampled_from([4.0, 8.0, 10.0, 12.0, 14.5]),
        "door_width_cm": st.none() | st.sampled_from([60, 69, 70, 89, 90, 91, 100]),
    }
)
profiles = st.sampled_from(list(PRESETS)).flatmap(
    lambda preset: st.fixed_dictionaries(
        {},
        optional={
            "max_kerb_height_cm": st.sampled_from([0, 2, 3, 6, 7.5]),
            "min_width_m": st.sampled_from([0.6, 0.7, 0.905, 0.9]),
            "max_uphill_pct": st.sampled_from([6, 8, 12]),
            "max_steps": st.sampled_from([0, 1, 3]),
        },
    ).map(lambda overrides: build_profile(preset, overrides))
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    place_entrances=st.lists(entrances, max_size=3),
    toilet=maybe_bool,
    profile=profiles,
)
def test_sql_grade_matches_rate_place(
    place_entrances: list[dict[str, Any]], toilet, profile
) -> None:
    place = make_place(entrances=place_entrances, toilet_accessible=toilet)
    sql_grade = with_grade(Place.objects.filter(pk=place.pk), profile).get().grade
    assert sql_grade == rate_place(place, profile).grade


VALUES = {
    "has_steps": [None, True, False],
    "step_count": [None, 0, 1, 2, 3, 11],
    "step_height_cm": [None, 2.0, 3.0, 6.0, 7.5, 15.0],
    "has_threshold": [None, True, False],
    "threshold_height_cm": [None, 0.0, 3.0, 6.0, 8.0],
    "has_ramp": [None, True, False],
    "ramp_incline_pct": [None, 6.0, 8.0, 12.0, 14.0],
    "door_width_cm": [None, 60, 70, 90, 91],
}
CUSTOM = [
    ("manual_wheelchair", {"min_width_m": 0.905, "max_kerb_height_cm": 6}),
    ("stroller", {"max_steps": 1, "max_uphill_pct": 6}),
    ("powered_wheelchair", {"max_kerb_height_cm": 7.5, "max_steps": 2}),
]


def test_sql_grade_matches_rate_place_on_hundreds_of_places() -> None:
    """Many boundary values at once: one SQL query per profile, rate_place in memory."""
    rng = random.Random(3)
    for i in range(600):
        entrance = {name: rng.choice(values) for name, values in VALUES.items()}
        extra = [] if i % 5 else [{name: rng.choice(v) for name, v in VALUES.items()}]
        make_place(entrances=[entrance, *extra], toilet_accessible=rng.choice([None, True, False]))
    places = list(Place.objects.prefetch_related("entrances"))
    all_profiles = [build_profile(p) for p in PRESETS] + [build_profile(p, o) for p, o in CUSTOM]
    for profile in all_profiles:
        sql = dict(with_grade(Place.objects.all(), profile).values_list("pk", "grade"))
        mismatches = [p.pk for p in places if sql[p.pk] != rate_place(p, profile).grade]
        assert not mismatches, (profile.key, mismatches[:5])


def test_the_tile_is_coloured_for_the_requested_profile(anon) -> None:
    three_steps = make_place(entrances=[{"has_steps": True, "step_count": 3, "step_height_cm": 15}])
    narrow_door = make_place(entrances=[{"has_steps": False, "door_width_cm": 70}])
    manual = by_id(decode(anon.get(tile_url("places")), "places"))
    walker = by_id(decode(anon.get(tile_url("places", query="?profile=walker_cane")), "places"))
    assert manual[three_steps.pk]["properties"]["grade"] == "no"
    assert walker[three_steps.pk]["properties"]["grade"] == "limited"
    assert manual[narrow_door.pk]["properties"]["grade"] == "no"
    assert walker[narrow_door.pk]["properties"]["grade"] == "yes"
    custom = anon.get(tile_url("places", query="?profile=manual_wheelchair&min_width_m=0.6"))
    assert by_id(decode(custom, "places"))[narrow_door.pk]["properties"]["grade"] == "yes"
