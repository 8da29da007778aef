"""Vector tiles: modugil against tipg on the same PostGIS tables, z12 to z16, one command.

    .venv/bin/python benchmarks/tiles/bench.py            # ~25 min; JSON to benchmarks/results/
    .venv/bin/python benchmarks/tiles/bench.py --quick    # 3 s per run, for trying things out
    .venv/bin/python benchmarks/tiles/bench.py --datasets network   # one dataset, merged into the JSON

What it does (everything on loopback, bounded in time):
1. a benchmark database ``modugil_bench`` in the project's own cluster: migrations, the demo
   area (load_demo), its pedestrian graphs (build_demo_graphs, arrays under benchmarks/work/),
   and 1,000,000 synthetic accessibility features (synthetic.sql);
2. tipg (PyPI, its own venv under benchmarks/work/) served by uvicorn with 4 workers;
3. modugil served as in production: gunicorn, 4 workers x 2 threads, DEBUG off; once with the tile
   cache off (every request builds its tile: "cold") and once with it on ("warm");
4. for each dataset and zoom, a list of tiles that hold data (up to 300, fixed seed; the graph's
   ``network`` layer at z14 to z16 only, coloured for the manual-wheelchair preset), requested
   round-robin by ``wrk`` (8 connections, 1 thread) for ``--seconds``; tiles/s, p95, and the CPU
   that the server and the database spent per tile; then one client at a time at z14 (latency).

Both servers get the same database settings (jit off, no parallel workers per query: each
request is small and the machine has 2 cores; the table clustered on its spatial index) and the
same attributes per tile (tipg's
``properties=``). Differences that remain are listed in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
DB = "modugil_bench"
SOCKET_DIR = ROOT / "var" / "pg" / "run"
PG_PORT = os.environ.get("MODUGIL_PG_PORT", "55433")
PORTS = {"tipg": 18732, "modugil_cold": 18731, "modugil_warm": 18733}
SERVERS = tuple(PORTS)
WORKERS = 4
# gunicorn threads per worker: 8 requests in flight, like tipg's 4 asyncio workers under 8
# connections (bin/modugil run serves with threaded workers too).
THREADS = 2
CONNECTIONS = 8
ZOOMS = range(12, 17)
# The network layer: the zooms a person planning a trip looks at (the layer starts at z13).
NETWORK_ZOOMS = range(14, 17)
NETWORK_PROFILE = "manual_wheelchair"
SAMPLE = 300
LATENCY_ZOOM = 14

os.environ.update(
    MODUGIL_DB_NAME=DB,
    MODUGIL_PG_SOCKET_DIR=str(SOCKET_DIR),
    MODUGIL_PG_PORT=PG_PORT,
    MODUGIL_SECRET_KEY="benchmark-only",
    # Required with DEBUG off; the benchmark database holds no plates.
    MODUGIL_PLATE_HASH_KEY="benchmark-only",
    MODUGIL_PLATE_ENCRYPTION_KEY="YmVuY2htYXJrLW9ubHktcGxhdGUta2V5LTMyYnl0ZXM=",
    MODUGIL_DEBUG="False",
    MODUGIL_ALLOWED_HOSTS="127.0.0.1",
    DJANGO_SETTINGS_MODULE="modugil.settings",
    # The benchmark's graph arrays stay out of var/graphs (the development server's).
    MODUGIL_ROUTING_GRAPH_DIR=str(WORK / "graphs"),
)
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(f"[bench-tiles] {message}", flush=True)


def psql_command(db: str = DB) -> list[str]:
    return ["psql", "-h", str(SOCKET_DIR), "-p", PG_PORT, "-U", "postgres", "-d", db]


def psql(sql: str, db: str = DB) -> str:
    command = [*psql_command(db), "-Atc", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def manage(*args: str) -> None:
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", *args], cwd=ROOT, check=True)


def prepare_database(datasets: tuple[str, ...]) -> None:
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'", db="postgres"):
        psql(f"CREATE DATABASE {DB}", db="postgres")
        psql("CREATE EXTENSION IF NOT EXISTS postgis")
    manage("migrate", "--noinput", "-v", "0")
    manage("load_demo")
    manage("build_demo_graphs")  # skipped while the source files are unchanged
    synthetic = psql(
        "SELECT count(*) FROM mapping_accessibilityfeature WHERE source_dataset = 'synthetic'"
    )
    if "synthetic_1m" in datasets and int(synthetic) < 1_000_000:
        log("loading 1,000,000 synthetic features (~1 min)")
        script = str(HERE / "synthetic.sql")
        command = [*psql_command(), "-q", "-v", "ON_ERROR_STOP=1", "-f", script]
        subprocess.run(command, check=True)
    # Same settings for both servers: see the module docstring.
    psql(f"ALTER DATABASE {DB} SET jit = off")
    psql(f"ALTER DATABASE {DB} SET max_parallel_workers_per_gather = 0")
    # Spatially ordered heap, as a maintained production table would be: a tile reads fewer pages.
    psql("CLUSTER mapping_accessibilityfeature USING mapping_accessibilityfeature_geom_31f9a3c5_id")
    psql("VACUUM ANALYZE mapping_accessibilityfeature")
    # The thinned tiles' representatives (kept by triggers): vacuumed, as autovacuum would, so
    # its index answers without visiting the table.
    psql("VACUUM ANALYZE tiles_featurerepresentative")
    gist = psql(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'routing_graphedge' "
        "AND indexdef LIKE '%USING gist (geom)%'"
    )
    psql(f"CLUSTER routing_graphedge USING {gist}")
    psql("VACUUM ANALYZE routing_graphedge")


def ensure_tipg() -> Path:
    venv = WORK / "tipg-venv"
    if not (venv / "bin" / "uvicorn").exists():
        log("installing tipg into benchmarks/work/tipg-venv")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin/pip"), "install", "-q", "tipg", "uvicorn"], check=True)
    return venv


def tile_lists(datasets: tuple[str, ...]) -> dict[str, dict[int, list[tuple[str, int, int, int]]]]:
    """Per dataset and zoom: up to SAMPLE (layer, z, x, y) tiles that contain data."""
    import django

    django.setup()
    from tiles.tilegrid import lonlat_to_tile

    queries = {
        "demo": [
            ("features", "mapping_accessibilityfeature WHERE source_dataset <> 'synthetic'"),
            ("places", "mapping_place"),
            ("parking", "mapping_disabledparkingspot"),
        ],
        "synthetic_1m": [
            ("features", "mapping_accessibilityfeature WHERE source_dataset = 'synthetic'"),
        ],
        "network": [("network", "routing_graphedge")],
    }
    queries = {name: sources for name, sources in queries.items() if name in datasets}
    rng = random.Random(42)
    lists: dict[str, dict[int, list[tuple[str, int, int, int]]]] = {}
    for dataset, sources in queries.items():
        points = [
            (layer, *map(float, row.split("|")))
            for layer, source in sources
            for row in psql(
                f"SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM {source}"
            ).splitlines()
        ]
        lists[dataset] = {}
        for z in NETWORK_ZOOMS if dataset == "network" else ZOOMS:
            tiles = sorted(
                {(layer, *astuple(lonlat_to_tile(lon, lat, z))) for layer, lon, lat in points}
            )
            lists[dataset][z] = rng.sample(tiles, min(SAMPLE, len(tiles)))
    return lists


def astuple(tile: object) -> tuple[int, int, int]:
    return (tile.z, tile.x, tile.y)  # type: ignore[attr-defined]


TIPG_TABLES = {
    "features": "public.mapping_accessibilityfeature",
    "places": "public.mapping_place",
    "parking": "public.mapping_disabledparkingspot",
    "network": "public.routing_graphedge",
}
# tipg cannot colour the network for a profile: it gets the raw columns a map client would need
# to work the status out itself (more bytes per tile than modugil's answer).
TIPG_NETWORK_COLUMNS = (
    "kind,incline_pct,grade_max_up_pct,grade_max_down_pct,grade_source,grade_confidence,"
    "width_m,surface,smoothness,kerb_u,kerb_v,kerb_u_cm,kerb_v_cm,step_count,ramp_wheelchair,"
    "elevator,escalator,wheelchair,no_sidewalk,overlay_confidence,obstacle_width_m,obstacle_until"
)
DATASETS = ("demo", "synthetic_1m", "network")


def tipg_properties() -> dict[str, str]:
    """The same attributes modugil's layers put in a tile (tipg has no derived grade)."""
    from tiles.registry import get_layer

    props = {"network": TIPG_NETWORK_COLUMNS}
    for layer_name in ("features", "places", "parking"):
        attributes = [a for a in get_layer(layer_name).attributes if a not in ("id", "grade")]
        props[layer_name] = ",".join(attributes)
    return props


def paths_for(
    server: str, tiles: list[tuple[str, int, int, int]], props: dict[str, str]
) -> list[str]:
    if server == "tipg":
        return [
            f"/collections/{TIPG_TABLES[layer]}/tiles/WebMercatorQuad/{z}/{x}/{y}?properties={props[layer]}"
            for layer, z, x, y in tiles
        ]
    query = {"network": f"?profile={NETWORK_PROFILE}"}
    return [f"/tiles/{layer}/{z}/{x}/{y}.pbf{query.get(layer, '')}" for layer, z, x, y in tiles]


@contextmanager
def server(name: str, tipg_venv: Path):
    env = dict(os.environ)
    port = PORTS[name]
    if name == "tipg":
        env.update(
            DATABASE_URL=f"postgresql://postgres@{quote(str(SOCKET_DIR), safe='')}:{PG_PORT}/{DB}",
            TIPG_DB_SCHEMAS='["public"]',
            TIPG_DB_SPATIAL_EXTENT="false",
            TIPG_DB_DATETIME_EXTENT="false",
        )
        command = [
            str(tipg_venv / "bin/uvicorn"),
            "tipg.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        probe = "/collections"
    else:
        env["MODUGIL_TILES_CACHE_LOCATION"] = str(WORK / "tile-cache")
        if name == "modugil_cold":
            env["MODUGIL_TILES_CACHE_BACKEND"] = "django.core.cache.backends.dummy.DummyCache"
        command = [
            str(ROOT / ".venv/bin/gunicorn"),
            "modugil.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--log-level",
            "warning",
        ]
        probe = "/tiles/"
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_until_up(port, probe)
        GROUPS[name] = process.pid
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wait_until_up(port: int, probe: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server on port {port} did not come up")


def warm(port: int, paths: list[str]) -> dict[str, int]:
    """One pass over the list: fills caches and records the status codes."""
    statuses: dict[str, int] = {}
    for path in paths:
        status = fetch(f"http://127.0.0.1:{port}{path}")
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return statuses


def fetch(url: str, attempts: int = 3) -> int:
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
                return int(response.status)
        except ConnectionError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


# CPU time: the machine is shared, so wall-clock rates depend on everyone else's load. The CPU
# that a server's processes and the database backends spend per tile does not.
GROUPS: dict[str, int] = {}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: str) -> tuple[int, int]:
    """(process group, utime + stime) of one process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[2]), int(fields[11]) + int(fields[12])


def cpu_snapshot(name: str) -> dict[str, int]:
    """CPU ticks of the server's process group and of every backend of the benchmark database."""
    ticks: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            group, used = _cpu_ticks(entry.name)
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if group == GROUPS[name] or cmdline.startswith(f"postgres: postgres {DB} ".encode()):
            ticks[entry.name] = used
    return ticks


def cpu_ms(before: dict[str, int], after: dict[str, int]) -> float:
    spent = sum(used - before.get(pid, 0) for pid, used in after.items())
    return spent * 1000 / CLOCK_TICKS


def run_wrk(
    port: int, paths: list[str], seconds: int, connections: int = CONNECTIONS
) -> dict[str, float]:
    url_file = WORK / "urls.txt"
    url_file.write_text("\n".join(paths) + "\n")
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "urls.lua"),
        f"http://127.0.0.1:{port}",
    ]
    out = subprocess.run(
        command,
        env={**os.environ, "URLS": str(url_file)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="3 s per run")
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument(
        "--datasets", default=",".join(DATASETS), help=f"comma-separated: {', '.join(DATASETS)}"
    )
    args = parser.parse_args()
    datasets = tuple(d for d in args.datasets.split(",") if d)
    if not datasets or not set(datasets) <= set(DATASETS):
        raise SystemExit(f"--datasets: choose from {', '.join(DATASETS)}")
    # Stopped early (kill, Ctrl-C): still stop the servers it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    seconds = 3 if args.quick else args.seconds
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    tipg_venv = ensure_tipg()
    if not args.skip_prepare:
        prepare_database(datasets)
    shutil.rmtree(WORK / "tile-cache", ignore_errors=True)
    lists = tile_lists(datasets)
    props = tipg_properties()
    runs = []
    # All servers up at once and runs interleaved per dataset and zoom: the machine is shared,
    # so background load then weighs on every server alike. Idle servers cost no CPU.
    with ExitStack() as stack:
        for name in SERVERS:
            stack.enter_context(server(name, tipg_venv))
        for dataset, by_zoom in lists.items():
            for z, tiles in by_zoom.items():
                for name in SERVERS:
                    runs.append(measure(name, dataset, z, tiles, props, seconds))
        # Latency seen by one map at z14: one request at a time (tiles are already warm).
        latency = [
            measure(name, dataset, LATENCY_ZOOM, by_zoom[LATENCY_ZOOM], props, seconds, 1)
            for dataset, by_zoom in lists.items()
            for name in SERVERS
        ]
    write_results(runs, latency, seconds, datasets)


def measure(
    name: str,
    dataset: str,
    z: int,
    tiles: list,
    props: dict[str, str],
    seconds: int,
    connections: int = CONNECTIONS,
) -> dict:
    port = PORTS[name]
    paths = paths_for("tipg" if name == "tipg" else "modugil", tiles, props)
    statuses = warm(port, paths)
    load_before = os.getloadavg()[0]
    cpu_before = cpu_snapshot(name)
    result = run_wrk(port, paths, seconds, connections)
    cpu = cpu_ms(cpu_before, cpu_snapshot(name))
    result["cpu_ms_per_tile"] = round(cpu / max(result["requests"], 1), 2)
    # What two idle cores could serve at that cost (server + database CPU per tile).
    result["tiles_per_s_2_cores"] = round(2000 / max(result["cpu_ms_per_tile"], 0.01), 1)
    result.update(
        server=name,
        dataset=dataset,
        z=z,
        tiles=len(paths),
        connections=connections,
        statuses=statuses,
        load_avg_1min=round(load_before, 2),
    )
    log(
        f"{name:13} {dataset:13} z{z} c{connections}: {result['tiles_per_s']:8.1f} tiles/s  "
        f"p95 {result['p95_ms']:7.1f} ms  cpu {result['cpu_ms_per_tile']:6.2f} ms/tile  "
        f"({len(paths)} tiles, load {load_before:.1f})"
    )
    return result


def write_results(
    runs: list[dict], latency: list[dict], seconds: int, datasets: tuple[str, ...]
) -> None:
    """Write the JSON; datasets not measured this time keep their previous runs, each row
    stamped with when it was measured (``measured_at``)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "tiles.json"
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for row in (*runs, *latency):
        row["measured_at"] = now
    if out.exists() and set(datasets) != set(DATASETS):
        previous = json.loads(out.read_text())
        before = previous["meta"]["when"]
        runs = [r for r in previous["runs"] if r["dataset"] not in datasets] + runs
        kept = [r for r in previous["latency_one_client"] if r["dataset"] not in datasets]
        latency = kept + latency
        for row in (*runs, *latency):
            row.setdefault("measured_at", before)
    meta = {
        "when": now,
        "machine": f"{os.cpu_count()} cores, shared with other work",
        "load": f"wrk 1 thread, {CONNECTIONS} connections, {seconds} s per run, loopback",
        "modugil": f"gunicorn {WORKERS} workers x {THREADS} threads (gthread), DEBUG off",
        "tipg": f"tipg (PyPI) on uvicorn, {WORKERS} workers",
        "database": "PostgreSQL 15 + PostGIS 3.3, jit off, max_parallel_workers_per_gather 0",
    }
    document = {"meta": meta, "runs": runs, "latency_one_client": latency}
    out.write_text(json.dumps(document, indent=2) + "\n")
    log(f"wrote {out.relative_to(ROOT)}")
    print(markdown_table(runs))
    print()
    print(latency_table(latency))


def latency_table(latency: list[dict]) -> str:
    """One client, one request at a time: p50 / p95 in ms."""
    lines = [
        "| dataset | z | tipg p50 / p95 ms | modugil cold p50 / p95 ms | modugil warm p50 / p95 ms |",
        "|---|---|---:|---:|---:|",
    ]
    index = {(r["server"], r["dataset"]): r for r in latency}
    for dataset in sorted({r["dataset"] for r in latency}):
        cells = [
            f"{index[(s, dataset)]['p50_ms']:.1f} / {index[(s, dataset)]['p95_ms']:.1f}"
            for s in SERVERS
        ]
        lines.append(f"| {dataset} | {LATENCY_ZOOM} | {' | '.join(cells)} |")
    return "\n".join(lines)


def markdown_table(runs: list[dict]) -> str:
    """Two tables: as measured on the shared machine, and per CPU spent (server + database)."""
    index = {(r["server"], r["dataset"], r["z"]): r for r in runs}
    measured = [
        "| dataset | z | tipg tiles/s | modugil cold tiles/s (×) | modugil warm tiles/s (×) "
        "| tipg p95 ms | modugil cold p95 ms | modugil warm p95 ms | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    per_cpu = [
        "| dataset | z | tipg CPU ms/tile | modugil cold CPU ms/tile (× less) "
        "| modugil warm CPU ms/tile (× less) |",
        "|---|---|---:|---:|---:|",
    ]
    for dataset, z in sorted({(r["dataset"], r["z"]) for r in runs}):
        t, c, w = (index[(s, dataset, z)] for s in SERVERS)
        measured.append(
            f"| {dataset} | {z} | {t['tiles_per_s']:.0f} | {c['tiles_per_s']:.0f} "
            f"({c['tiles_per_s'] / t['tiles_per_s']:.1f}×) | {w['tiles_per_s']:.0f} "
            f"({w['tiles_per_s'] / t['tiles_per_s']:.1f}×) | {t['p95_ms']:.1f} | {c['p95_ms']:.1f} "
            f"| {w['p95_ms']:.1f} | {t['load_avg_1min']:.1f} |"
        )
        tc, cc, wc = (r["cpu_ms_per_tile"] for r in (t, c, w))
        per_cpu.append(
            f"| {dataset} | {z} | {tc:.2f} | {cc:.2f} ({tc / cc:.1f}×) | {wc:.2f} ({tc / wc:.1f}×) |"
        )
    return "\n".join([*measured, "", *per_cpu])


if __name__ == "__main__":
    main()
