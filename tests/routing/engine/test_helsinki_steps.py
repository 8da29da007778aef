"""On Helsinki (141 flights of steps): where the plain walking route takes steps, the wheelchair
route avoids them or explains why there is none; crowd reports change the answer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.contrib.gis.geos import Point

from accounts.models import User
from mapping.services import review
from routing.engine.costs import Constraint
from routing.engine.explain import explain_no_route
from routing.engine.planner import node_endpoint, search
from routing.engine.prepared import prepared
from routing.graph.build import build_graph
from routing.graph.contract import KIND
from routing.graph.publish import publish_graph
from routing.graph.store import get_graph
from routing.profiles import PRESETS, WALKING
from tests.conftest import make_feature, shared_data
from tests.routing.conftest import HELSINKI

STEPS = KIND.index("steps")


def test_wheelchair_routes_avoid_the_steps_of_the_walking_route_or_explain(helsinki) -> None:
    pg = prepared(helsinki)
    now = time.time()
    walk = pg.metric(WALKING, now)
    chair = pg.metric(PRESETS["manual_wheelchair"], now)
    largest = np.flatnonzero(walk.component == np.bincount(walk.component).argmax())
    rng = np.random.default_rng(7)
    with_steps = avoided = explained = 0
    for s, t in rng.choice(largest, size=(120, 2)).tolist():
        walking = search(pg, walk, node_endpoint(s), node_endpoint(t))
        if walking is None or not (helsinki.edges["kind"][walking.edges] == STEPS).any():
            continue
        with_steps += 1
        path = search(pg, chair, node_endpoint(s), node_endpoint(t))
        if path is not None:
            steps = (helsinki.edges["kind"][path.edges] == STEPS) & ~chair.values.steps_ramp[
                path.edges
            ]
            assert not steps.any()
            assert (chair.costs.blocked_by[path.edges] == 0).all()
            avoided += 1
        else:
            body = explain_no_route(pg, chair, node_endpoint(s), node_endpoint(t))
            assert body["detail"]
            # the walking route exists, so something the profile refuses is named
            assert "steps" in body["cut_off_by"] or body["relaxations"]
            explained += 1
    assert with_steps >= 10 and avoided + explained == with_steps
    assert avoided > 0


def _verify(feature: Any, official: User, capture: Any) -> None:
    with capture(execute=True):
        review(feature, official, "validated")


@pytest.mark.django_db
def test_verified_ramp_and_broken_elevator_change_the_answer(
    graph_dir: Path, official: User, django_capture_on_commit_callbacks: Any
) -> None:
    publish_graph(build_graph(shared_data(HELSINKI)), name="helsinki")
    graph = get_graph("helsinki")
    pg = prepared(graph)
    chair = pg.metric(PRESETS["manual_wheelchair"], time.time())
    # steps blocked for the wheelchair by nothing but being steps
    only_steps = np.flatnonzero(chair.costs.blocked_by == np.uint32(Constraint.STEPS))
    edge = int(only_steps[0])
    s, t = int(graph.edges["u"][edge]), int(graph.edges["v"][edge])
    before = search(pg, chair, node_endpoint(s), node_endpoint(t))
    assert before is None or edge not in before.edges.tolist()
    middle = graph.edge_coords(edge).mean(axis=0)
    ramp = make_feature(
        feature_type="steps",
        geom=Point(*middle, srid=4326),
        kerb="",
        kerb_height_cm=None,
        ramp_wheelchair="yes",
        step_count=6,
    )
    _verify(ramp, official, django_capture_on_commit_callbacks)
    graph = get_graph("helsinki")
    pg = prepared(graph)
    chair = pg.metric(PRESETS["manual_wheelchair"], time.time())
    after = search(pg, chair, node_endpoint(s), node_endpoint(t))
    assert after is not None and edge in after.edges.tolist()
    assert before is None or after.cost_s < before.cost_s

    rides = np.flatnonzero(graph.edges["kind"] == KIND.index("elevator"))
    ride = int(rides[0])
    a, b = int(graph.edges["u"][ride]), int(graph.edges["v"][ride])
    working = search(pg, chair, node_endpoint(a), node_endpoint(b))
    assert working is not None and ride in working.edges.tolist()
    stop = Point(float(graph.nodes["lon"][a]), float(graph.nodes["lat"][a]), srid=4326)
    broken = make_feature(
        feature_type="elevator", geom=stop, kerb="", kerb_height_cm=None, elevator_working=False
    )
    _verify(broken, official, django_capture_on_commit_callbacks)
    graph = get_graph("helsinki")
    pg = prepared(graph)
    chair = pg.metric(PRESETS["manual_wheelchair"], time.time())
    out_of_order = search(pg, chair, node_endpoint(a), node_endpoint(b))
    assert out_of_order is None or ride not in out_of_order.edges.tolist()
