"""networkx and pgRouting on modugil's own wheelchair costs, for benchmarks/routing.py.

Each runs in a fresh process (under /usr/bin/time, which measures its peak RSS) that reads only
``edges.npz`` (tail, head, cost, length of every passable directed edge, written by the
parent), so that peak is the baseline's own, not modugil's graph or Django's. pgRouting works
inside the PostgreSQL backend: its peak is that backend's high-water mark (``VmHWM``), read
once the queries are done.

    .venv/bin/python -m benchmarks.routing_baselines networkx <work dir> <out.json> [max pairs]
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


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


def _edges(work: Path) -> dict[str, np.ndarray]:
    with np.load(work / "edges.npz") as data:
        return {k: data[k] for k in data.files}


def run_networkx(work: Path, pairs: list[dict[str, Any]]) -> dict[str, Any]:
    import networkx as nx

    edges = _edges(work)
    started = time.perf_counter()
    g = nx.DiGraph()
    for a, b, c, e in zip(
        edges["u"].tolist(),
        edges["v"].tolist(),
        edges["cost"].tolist(),
        edges["edge"].tolist(),
        strict=True,
    ):
        if not g.has_edge(a, b) or g[a][b]["weight"] > c:
            g.add_edge(a, b, weight=c, edge=e)
    build_s = time.perf_counter() - started
    length = dict(zip(edges["edge"].tolist(), edges["length_m"].tolist(), strict=True))

    def query(pair: dict[str, Any]) -> tuple[float | None, float | None]:
        try:
            nodes = nx.dijkstra_path(g, pair["s"], pair["t"], weight="weight")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None, None
        steps = list(itertools.pairwise(nodes))
        return (
            float(sum(g[a][b]["weight"] for a, b in steps)),
            float(sum(length[g[a][b]["edge"]] for a, b in steps)),
        )

    return {"build_s": round(build_s, 2), **timed(pairs, query)}


def _backend_peak_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def run_pgrouting(work: Path, pairs: list[dict[str, Any]]) -> dict[str, Any]:
    import psycopg

    edges = _edges(work)
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
    backend = conn.execute("select pg_backend_pid()").fetchone()
    table = "edges_" + work.name.replace("-", "_")
    started = time.perf_counter()
    conn.execute(f"drop table if exists {table}")
    conn.execute(f"create table {table} (id bigint, source bigint, target bigint, cost float8)")
    with conn.cursor().copy(f"copy {table} (id, source, target, cost) from stdin") as copy:
        for row in zip(
            edges["edge"].tolist(),
            edges["u"].tolist(),
            edges["v"].tolist(),
            edges["cost"].tolist(),
            strict=True,
        ):
            copy.write_row(row)
    conn.execute(f"analyze {table}")
    build_s = time.perf_counter() - started
    sql = f"SELECT id, source, target, cost FROM {table}"
    length = dict(zip(edges["edge"].tolist(), edges["length_m"].tolist(), strict=True))

    def query(pair: dict[str, Any]) -> tuple[float | None, float | None]:
        rows = conn.execute(
            "SELECT edge, agg_cost, cost FROM pgr_dijkstra(%s, %s::bigint, %s::bigint, directed => true)",
            (sql, pair["s"], pair["t"]),
        ).fetchall()
        if not rows:
            return None, None
        return float(sum(r[2] for r in rows)), float(sum(length[r[0]] for r in rows if r[0] >= 0))

    out = {"build_s": round(build_s, 2), **timed(pairs, query)}
    server_peak = _backend_peak_mb(backend[0]) if backend else None
    out["peak_mb"] = server_peak
    out["peak_of"] = "PostgreSQL backend (VmHWM)" if server_peak else "unknown"
    conn.close()
    return out


def main() -> None:
    engine, work_dir, out_path = sys.argv[1:4]
    work = Path(work_dir)
    pairs = json.loads((work / "pairs.json").read_text())
    if len(sys.argv) > 4:
        pairs = pairs[: int(sys.argv[4])]
    run = {"networkx": run_networkx, "pgrouting": run_pgrouting}[engine]
    Path(out_path).write_text(json.dumps(run(work, pairs)))


if __name__ == "__main__":
    main()
