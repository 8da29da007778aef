"""Profiles are data with ranges; unknown keys and out-of-range values are refused by name."""

from __future__ import annotations

import pytest

from modugil.errors import InvalidInput
from routing.profiles import NUMERIC_PARAMS, PRESETS, build_profile


def test_presets_differ_where_bodies_differ() -> None:
    assert (
        PRESETS["manual_wheelchair"].max_kerb_height_cm < PRESETS["walker_cane"].max_kerb_height_cm
    )
    assert PRESETS["manual_wheelchair"].max_steps == 0 < PRESETS["walker_cane"].max_steps
    for preset in PRESETS.values():
        for name, spec in NUMERIC_PARAMS.items():
            assert spec.minimum <= getattr(preset, name) <= spec.maximum, (preset.key, name)


def test_overrides_make_a_custom_profile() -> None:
    profile = build_profile(
        "manual_wheelchair", {"max_uphill_pct": "6", "unknown_policy": "strict"}
    )
    assert profile.key == "custom" and profile.max_uphill_pct == 6
    assert set(profile.unknown_policy.values()) == {"strict"}
    assert build_profile("custom").key == "custom"


@pytest.mark.parametrize(
    ("preset", "overrides", "field"),
    [
        ("rocket", {}, "profile"),
        ("manual_wheelchair", {"max_uphill_pct": 80}, "max_uphill_pct"),
        ("manual_wheelchair", {"max_kerb_height_cm": "high"}, "max_kerb_height_cm"),
        ("manual_wheelchair", {"wings": True}, "wings"),
        ("manual_wheelchair", {"worst_surface": "lava"}, "worst_surface"),
        ("manual_wheelchair", {"unknown_policy": {"kerb": "maybe"}}, "unknown_policy"),
        ("manual_wheelchair", {"allow_elevators": "sometimes"}, "allow_elevators"),
    ],
)
def test_bad_profiles_name_the_field(preset, overrides, field) -> None:
    with pytest.raises(InvalidInput) as info:
        build_profile(preset, overrides)
    assert field in info.value.fields
