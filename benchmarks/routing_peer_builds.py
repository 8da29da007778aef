"""Valhalla and OSRM for benchmarks/routing.py: their own builds and query processes.

Both run from ``benchmarks/work/peers-venv`` (Python 3.12, ``benchmarks/setup_peers.sh``). Every
build and every query process is wrapped in ``/usr/bin/time``, so wall time and peak RSS are the
peer's own. A finished build leaves ``build.json`` (its time, peak and the source's SHA-256) next
to its data; ``reuse=True`` takes that build instead of building again (the 1M-edge city's
``osrm-contract`` runs for about an hour on the 2 shared cores).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "routing"
PEERS = ROOT / "benchmarks" / "work" / "peers-venv"
# Threads for the peers' builds (1 leaves a core to measurements running alongside).
THREADS = os.environ.get("MODUGIL_BENCH_BUILD_THREADS", "2")


def _run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def measured(cmd: list[str], **kwargs: Any) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of a child command, from /usr/bin/time."""
    WORK.mkdir(parents=True, exist_ok=True)
    # one file per call: builds and benchmark runs may overlap
    with tempfile.NamedTemporaryFile("r", dir=WORK, prefix=".time-", suffix=".txt") as out:
        _run(["/usr/bin/time", "-f", "%e %M", "-o", out.name, *cmd], **kwargs)
        seconds, peak_kb = Path(out.name).read_text().split()[-2:]
    return float(seconds), float(peak_kb) / 1024


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _reused(directory: Path, source: Path) -> dict[str, Any] | None:
    record = directory / "build.json"
    if not record.exists():
        return None
    built = json.loads(record.read_text())
    data = Path(built["data"])
    # OSRM's "map.osrm" is only the prefix of its files (map.osrm.hsgr, ...)
    present = data.exists() or any(data.parent.glob(f"{data.name}.*"))
    if built.get("source_sha256") != _sha256(source) or not present:
        return None
    return {**built, "reused": True}


def _record(directory: Path, source: Path, built: dict[str, Any]) -> dict[str, Any]:
    built["source_sha256"] = _sha256(source)
    (directory / "build.json").write_text(json.dumps(built))
    return built


def build_osrm(name: str, source: Path, *, reuse: bool = False) -> dict[str, Any]:
    """osrm-extract (stock foot profile, small components of 50) and osrm-contract (CH)."""
    directory = WORK / name / "osrm"
    if reuse and (built := _reused(directory, source)):
        return built
    site = next(PEERS.glob("lib/python3.*/site-packages/osrm"))
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    (directory / "map.osm.pbf").symlink_to(source)
    profile = site / "share" / "profiles" / "foot.lua"
    extract = [str(site / "bin" / "osrm-extract"), "-p", str(profile), "-t", THREADS]
    extract_s, extract_mb = measured(
        [*extract, "--small-component-size", "50", "map.osm.pbf"], cwd=directory
    )
    contract_s, contract_mb = measured(
        [str(site / "bin" / "osrm-contract"), "-t", THREADS, "map.osrm"], cwd=directory
    )
    built = {
        "build_s": round(extract_s + contract_s, 2),
        "build_steps_s": {"osrm-extract": extract_s, "osrm-contract": contract_s},
        "build_peak_mb": max(extract_mb, contract_mb),
        "data": str(directory / "map.osrm"),
    }
    return _record(directory, source, built)


def valhalla_env() -> dict[str, str]:
    """The environment for Valhalla's tools: the peers' venv first on PATH."""
    return {**os.environ, "PATH": f"{PEERS / 'bin'}:{os.environ['PATH']}"}


def write_valhalla_config(directory: Path, env: dict[str, str]) -> Path:
    """``valhalla.json`` in ``directory`` for tiles under ``directory/tiles`` (created)."""
    tiles = directory / "tiles"
    tiles.mkdir(parents=True)
    config = subprocess.run(
        [
            str(PEERS / "bin" / "valhalla_build_config"),
            "--mjolnir-tile-dir",
            str(tiles),
            "--mjolnir-tile-extract",
            str(directory / "tiles.tar"),
            "--mjolnir-timezone",
            str(tiles / "timezones.sqlite"),
            "--mjolnir-admin",
            str(tiles / "admins.sqlite"),
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    path = directory / "valhalla.json"
    path.write_text(config)
    return path


def build_valhalla(name: str, source: Path, *, reuse: bool = False) -> dict[str, Any]:
    """valhalla_build_config and valhalla_build_tiles (2 threads) of ``source``."""
    directory = WORK / name / "valhalla"
    if reuse and (built := _reused(directory, source)):
        return built
    shutil.rmtree(directory, ignore_errors=True)
    env = valhalla_env()
    write_valhalla_config(directory, env)
    seconds, peak = measured(
        [
            str(PEERS / "bin" / "valhalla_build_tiles"),
            "-c",
            str(directory / "valhalla.json"),
            "-j",
            THREADS,
            str(source),
        ],
        cwd=directory,
        env=env,
    )
    built = {
        "build_s": round(seconds, 2),
        "build_peak_mb": peak,
        "data": str(directory / "valhalla.json"),
    }
    return _record(directory, source, built)


def run_peer(engine: str, data: str, pairs_path: Path) -> dict[str, Any]:
    """The peer's query loop (routing_peers.py) in its own process; peak RSS of that process."""
    out = pairs_path.parent / f"{engine}.json"
    script = str(ROOT / "benchmarks" / "routing_peers.py")
    _seconds, peak = measured(
        [str(PEERS / "bin" / "python"), script, engine, data, str(pairs_path), str(out)]
    )
    result = json.loads(out.read_text())
    result["result"] = [(None, length) for length in result.pop("length_m")]
    result["peak_mb"] = peak
    return result
