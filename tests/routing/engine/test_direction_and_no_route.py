"""Uphill and downhill limits apply by direction; a cut-off destination is explained with the
smallest relaxation and the nearest reachable point (on a hand-made network)."""

from __future__ import annotations

import pytest

from routing.engine.service import plan
from routing.errors import NoRoute
from routing.graph.build import build_graph
from routing.graph.graph import PedestrianGraph
from routing.profiles import build_profile
from tests.routing.engine.tiny import lonlat, write_tiny_osm


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> PedestrianGraph:
    return build_graph(write_tiny_osm(tmp_path_factory.mktemp("tiny") / "tiny.osm"))


def _length(planned) -> float:
    length = planned.pg.graph.edges["length_m"]
    return sum(float(length[p.edge]) * (p.stop - p.start) for p in planned.path.pieces())


def test_uphill_limit_applies_only_when_climbing(tiny) -> None:
    profile = build_profile("manual_wheelchair", {"max_uphill_pct": 8, "max_downhill_pct": 12})
    up = plan(tiny, profile, lonlat("A"), lonlat("B"))
    down = plan(tiny, profile, lonlat("B"), lonlat("A"))
    assert _length(up) > 250  # the 10 % climb is refused: the flat detour
    assert _length(down) == pytest.approx(100, abs=3)  # 10 % downhill is within 12 %


def test_downhill_limit_applies_only_when_descending(tiny) -> None:
    profile = build_profile("manual_wheelchair", {"max_uphill_pct": 12, "max_downhill_pct": 8})
    assert _length(plan(tiny, profile, lonlat("A"), lonlat("B"))) == pytest.approx(100, abs=3)
    assert _length(plan(tiny, profile, lonlat("B"), lonlat("A"))) > 250


def test_cut_off_destination_names_the_kerb_and_the_smallest_relaxation(tiny) -> None:
    profile = build_profile("manual_wheelchair", {"max_kerb_height_cm": 3})
    with pytest.raises(NoRoute) as info:
        plan(tiny, profile, lonlat("A"), lonlat("D"))
    extra = info.value.extra
    assert extra["cut_off_by"] == ["kerb"]
    (relax,) = extra["relaxations"]
    assert relax["parameter"] == "max_kerb_height_cm" and relax["value"] == 6
    assert "6 cm" in relax["message"]
    nearest = extra["nearest_reachable"]
    assert nearest["distance_to_destination_m"] == pytest.approx(60, abs=5)  # B, before the kerb
    relaxed = build_profile("manual_wheelchair", {"max_kerb_height_cm": 6})
    assert plan(tiny, relaxed, lonlat("A"), lonlat("D")).path.cost_s > 0
