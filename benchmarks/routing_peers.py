"""Peer query loops for benchmarks/routing.py, run inside benchmarks/work/peers-venv (Python 3.12).

    peers-venv/bin/python benchmarks/routing_peers.py valhalla <config.json> <pairs.json> <out.json>
    peers-venv/bin/python benchmarks/routing_peers.py osrm <map.osrm> <pairs.json> <out.json>

One untimed pass over all pairs, then one timed pass; per pair the latency, route length (m) or
the error. The process's peak RSS is reported too.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any


def valhalla_engine(config_path: str) -> Any:
    import valhalla

    config = json.loads(open(config_path).read())  # noqa: PTH123, SIM115
    config.setdefault("logging", {})["type"] = ""
    actor = valhalla.Actor(config)

    def query(a: list[float], b: list[float]) -> float | None:
        body = {
            "locations": [{"lon": a[0], "lat": a[1]}, {"lon": b[0], "lat": b[1]}],
            "costing": "pedestrian",
            "costing_options": {"pedestrian": {"type": "wheelchair"}},
            "directions_type": "none",
        }
        try:
            answer = json.loads(actor.route(json.dumps(body)))
        except RuntimeError:
            return None
        return float(answer["trip"]["summary"]["length"]) * 1000

    return query


def osrm_engine(path: str) -> Any:
    import osrm

    engine = osrm.OSRM(storage_config=path, algorithm="CH", use_shared_memory=False)

    def query(a: list[float], b: list[float]) -> float | None:
        params = osrm.RouteParameters(
            coordinates=[(a[0], a[1]), (b[0], b[1])], overview="false", generate_hints=False
        )
        try:
            answer = engine.Route(params)
        except RuntimeError:
            return None
        return float(answer["routes"][0]["distance"])

    return query


def main() -> None:
    engine_name, data, pairs_path, out_path = sys.argv[1:5]
    pairs = json.loads(open(pairs_path).read())  # noqa: PTH123, SIM115
    query = valhalla_engine(data) if engine_name == "valhalla" else osrm_engine(data)
    for pair in pairs:
        query(pair["origin"], pair["destination"])
    latencies, lengths = [], []
    for pair in pairs:
        started = time.perf_counter()
        length = query(pair["origin"], pair["destination"])
        latencies.append(time.perf_counter() - started)
        lengths.append(length)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(out_path, "w") as f:  # noqa: PTH123
        json.dump({"latency_s": latencies, "length_m": lengths, "peak_mb": peak_mb}, f)


if __name__ == "__main__":
    main()
