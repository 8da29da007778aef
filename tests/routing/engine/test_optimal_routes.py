"""modugil's route cost equals networkx's optimum on the same weights, for random profiles and
pairs; no route ever uses an edge that breaks a hard constraint; paths are connected."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing.engine.prepared import prepared
from routing.profiles import UNKNOWN_ATTRIBUTES, UNKNOWN_POLICIES, build_profile
from tests.routing.engine.oracle import assert_optimal, oracle_graph

profiles = st.fixed_dictionaries(
    {
        "max_uphill_pct": st.floats(0, 25),
        "max_downhill_pct": st.floats(0, 30),
        "max_kerb_height_cm": st.floats(0, 30),
        "min_width_m": st.floats(0, 1.5),
        "max_steps": st.integers(0, 30),
        "street_avoidance": st.floats(0, 1),
        "allow_escalators": st.booleans(),
        "allow_elevators": st.booleans(),
        "speed_mps": st.floats(0.3, 2),
        "unknown_policy": st.fixed_dictionaries(
            {a: st.sampled_from(UNKNOWN_POLICIES) for a in UNKNOWN_ATTRIBUTES}
        ),
    }
)


@pytest.mark.slow
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=profiles, seed=st.integers(0, 2**31), exact=st.booleans())
def test_cost_equals_networkx_and_constraints_hold(helsinki, params, seed, exact) -> None:
    profile = build_profile("manual_wheelchair", params)
    pg = prepared(helsinki)
    metric = pg.metric(profile, time.time(), exact=exact)
    oracle = oracle_graph(helsinki, metric.costs.total_s)
    rng = np.random.default_rng(seed)
    for s, t in rng.integers(0, helsinki.node_count, size=(15, 2)).tolist():
        assert_optimal(pg, metric, oracle, s, t)
