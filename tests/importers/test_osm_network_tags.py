"""Tag rules of the walkable network: which ways pedestrians use, kerbs, sidewalks, direction."""

from __future__ import annotations

import pytest

from importers.osm.tags import (
    foot_exclusion,
    foot_oneway,
    kerb_height_for_kind,
    kerb_kind,
    kerb_value,
    pedestrian_way_kind,
    sidewalk_value,
    structure_flags,
    surface_value,
)


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"highway": "footway", "footway": "sidewalk"}, "sidewalk"),
        ({"highway": "footway", "footway": "crossing"}, "crossing"),
        ({"highway": "footway", "footway": "traffic_island"}, "traffic_island"),
        ({"highway": "footway"}, "footway"),
        ({"highway": "steps"}, "steps"),
        ({"highway": "steps", "conveying": "forward"}, "escalator"),
        ({"highway": "elevator"}, "elevator"),
        ({"highway": "cycleway", "foot": "designated"}, "cycleway"),  # osmnx's walk filter drops it
        ({"highway": "cycleway"}, None),
        ({"highway": "residential"}, "residential"),
        ({"highway": "primary_link"}, "primary"),
        ({"highway": "trunk"}, None),
        ({"highway": "trunk", "sidewalk": "both"}, "trunk"),
        ({"highway": "motorway"}, None),
        ({"highway": "construction"}, None),
        ({"highway": "service", "area": "yes"}, None),
        ({"building": "yes"}, None),
    ],
)
def test_pedestrian_way_kind(tags: dict[str, str], kind: str | None) -> None:
    assert pedestrian_way_kind(tags) == kind


@pytest.mark.parametrize(
    ("tags", "reason"),
    [
        ({"foot": "no"}, "foot_no"),
        ({"access": "private"}, "access_private"),
        ({"access": "private", "foot": "yes"}, None),
        ({"access": "no", "foot": "designated"}, None),
        ({"foot": "use_sidepath"}, "foot_use_sidepath"),
        ({}, None),
    ],
)
def test_foot_exclusion(tags: dict[str, str], reason: str | None) -> None:
    assert foot_exclusion(tags) == reason


@pytest.mark.parametrize(
    ("tags", "kind", "height"),
    [
        ({"barrier": "kerb", "kerb": "lowered"}, "lowered", 3.0),
        ({"curb": "sloped"}, "lowered", 3.0),
        ({"curb": "regular"}, "raised", 12.0),
        ({"curb": "none"}, "no", 0.0),
        ({"barrier": "kerb"}, "yes", None),  # a kerb of unknown height: unknown, never passable
        ({"kerb": "raised", "kerb:height": "0.16"}, "raised", 16.0),
        ({"curb": "flush;lowered"}, "lowered", 3.0),  # both ends: the higher one counts
        ({"sloped_curb": "yes"}, "lowered", 3.0),
        ({"highway": "crossing"}, None, None),
    ],
)
def test_kerb_kind_and_height(tags: dict[str, str], kind: str | None, height: float | None) -> None:
    assert kerb_kind(tags) == kind
    assert kerb_height_for_kind(tags) == height


def test_kerb_value_keeps_its_behaviour() -> None:
    assert kerb_value({"curb": "sloped"}) is None
    assert kerb_value({"kerb": "lowered"}) == "lowered"


@pytest.mark.parametrize(
    ("tags", "value"),
    [
        ({"sidewalk": "both"}, "both"),
        ({"sidewalk": "none"}, "no"),
        ({"sidewalk": "separate"}, "separate"),
        ({"sidewalk:left": "yes", "sidewalk:right": "no"}, "left"),
        ({"sidewalk:left": "yes", "sidewalk:right": "yes"}, "both"),
        ({"sidewalk:both": "no"}, "no"),
        ({}, None),
    ],
)
def test_sidewalk_value(tags: dict[str, str], value: str | None) -> None:
    assert sidewalk_value(tags) == value


def test_foot_oneway_only_binds_footpaths_and_escalators() -> None:
    assert foot_oneway({"highway": "residential", "oneway": "yes"}) == 0
    assert foot_oneway({"highway": "footway", "oneway": "yes"}) == 1
    assert foot_oneway({"highway": "residential", "oneway:foot": "-1"}) == -1
    assert foot_oneway({"highway": "steps", "conveying": "backward"}) == -1
    assert foot_oneway({"highway": "steps", "conveying": "yes"}) == 0


def test_structure_flags_and_surfaces() -> None:
    assert structure_flags({"bridge": "yes"}) == 1
    assert structure_flags({"tunnel": "building_passage", "covered": "yes"}) == 6
    assert structure_flags({"bridge": "no"}) == 0
    vocabulary = {"cobblestone", "sett", "asphalt"}
    assert surface_value("unhewn_cobblestone", vocabulary) == "cobblestone"
    assert surface_value("lava", vocabulary) is None
