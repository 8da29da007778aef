"""Violations benchmark: import 1M synthetic enforcement rows and compute the hotspots over them,
modugil against a plain pandas / geopandas ``to_postgis`` + h3 + esda baseline, in one run.

    .venv/bin/python benchmarks/violations_bench.py [--rows 1000000]

Uses its own database (``modugil_bench``) on the project's cluster (start it with
``bin/modugil db-start``); the synthetic CSV and the baseline's SQLAlchemy/GeoAlchemy2 live under
benchmarks/work/. Writes benchmarks/results/violations.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "violations"
RESULTS = ROOT / "benchmarks" / "results" / "violations.json"
DB = "modugil_bench"
os.environ.setdefault("MODUGIL_DEBUG", "True")
os.environ["MODUGIL_DB_NAME"] = DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modugil.settings")
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks.pylib import PYLIB, ensure_pylib  # noqa: E402

# Cheonan's built-up area; hotspots around a few hundred centres, as in the real files.
BBOX = (127.06, 36.75, 127.22, 36.90)
TYPES = ["장애인전용구역 주차", "장애인전용구역 주차방해", "장애인전용구역 표지 부정사용"]


def synthetic(path: Path, rows: int, seed: int = 2024) -> None:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(BBOX[:2], BBOX[2:], size=(400, 2))
    weights = rng.pareto(1.2, 400) + 1
    pick = rng.choice(400, size=rows, p=weights / weights.sum())
    spread = rng.normal(0, 0.0015, size=(rows, 2))
    lon, lat = (centres[pick] + spread).T
    start = np.datetime64("2024-01-01T00:00")
    minutes = rng.integers(0, 366 * 24 * 60, rows)
    stamps = pd.to_datetime(start + minutes.astype("timedelta64[m]"))
    frame = pd.DataFrame(
        {
            "단속일시": stamps.strftime("%Y-%m-%d %H:%M"),
            "단속동": [f"{i % 30 + 1}동" for i in pick],
            "단속장소": [f"합성 장소 {i}" for i in pick],
            "위반유형": np.array(TYPES)[rng.choice(3, rows, p=[0.8, 0.15, 0.05])],
            "위도": lat.round(7),
            "경도": lon.round(7),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8")


def ensure_database() -> None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    psql = ["psql", "-h", db["HOST"], "-p", db["PORT"], "-U", "postgres", "-tAc"]
    query = f"select 1 from pg_database where datname='{DB}'"
    exists = subprocess.run([*psql, query, "postgres"], capture_output=True, text=True)
    if "1" not in exists.stdout:
        subprocess.run([*psql, f"create database {DB}", "postgres"], check=True)
    subprocess.run([*psql, "create extension if not exists postgis", DB], check=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ours(path: Path) -> dict[str, float]:
    from django.db import connection

    from violations.hotspots import aggregate, filters
    from violations.intake.enforcement_load import import_enforcement

    with connection.cursor() as cursor:  # the benchmark's own database: start empty each run
        cursor.execute("TRUNCATE violations_violationreport CASCADE")
        cursor.execute("VACUUM ANALYZE violations_violationreport")
    t0 = time.perf_counter()
    report = import_enforcement(path, commit=True, dataset="bench-1m")
    t_import = time.perf_counter() - t0
    assert report.counts["created"] + report.counts["flagged"] == ROWS, report.counts
    hex_filter = filters.from_params({"start": "2024-01-01", "end": "2024-12-31"})
    t0 = time.perf_counter()
    layer = aggregate.hex_layer(hex_filter, 9, with_gistar=True)
    t_gistar = time.perf_counter() - t0
    t0 = time.perf_counter()
    aggregate.ranking(hex_filter, 9, 10)
    t_ranking = time.perf_counter() - t0
    t0 = time.perf_counter()
    aggregate.density_layer(hex_filter, 250.0, 9)
    t_density = time.perf_counter() - t0
    t0 = time.perf_counter()
    aggregate.hex_layer(
        filters.from_params({"start": "2024-01-01", "end": "2024-12-31", "hours": "7-9"}), 9
    )
    t_filtered = time.perf_counter() - t0
    return {
        "import_s": round(t_import, 2),
        "hotspots_gistar_s": round(t_gistar, 2),
        "ranking_s": round(t_ranking, 2),
        "density_s": round(t_density, 2),
        "hex_filtered_hours_s": round(t_filtered, 2),
        "hotspots_total_s": round(t_gistar + t_ranking + t_density, 2),
        "hexagons": len(layer["features"]),
    }


def baseline(path: Path) -> dict[str, float]:
    """What an analyst would write: pandas + geopandas.to_postgis, h3 per row, esda Gi*."""
    sys.path.insert(0, str(PYLIB))
    import esda
    import geopandas as gpd
    import h3
    from django.conf import settings
    from libpysal.weights import W
    from sqlalchemy import create_engine

    db = settings.DATABASES["default"]
    engine = create_engine(
        f"postgresql+psycopg://postgres@/{DB}?host={db['HOST']}&port={db['PORT']}"
    )
    t0 = time.perf_counter()
    frame = pd.read_csv(path)
    frame["단속일시"] = pd.to_datetime(frame["단속일시"]).dt.tz_localize("Asia/Seoul")
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["경도"], frame["위도"]), crs=4326
    )
    points.to_postgis(
        "baseline_enforcement", engine, if_exists="replace", index=False, chunksize=50000
    )
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    read = gpd.read_postgis("SELECT * FROM baseline_enforcement", engine, geom_col="geometry")
    read["cell"] = read.apply(lambda r: h3.latlng_to_cell(r["위도"], r["경도"], 9), axis=1)
    counts = read.groupby("cell").size()
    region = sorted({n for c in counts.index for n in h3.grid_disk(c, 1)})
    y = counts.reindex(region, fill_value=0).to_numpy(dtype=float)
    present = set(region)
    w = W(
        {c: [n for n in h3.grid_ring(c, 1) if n in present] for c in region}, silence_warnings=True
    )
    esda.G_Local(y, w, transform="B", star=True, permutations=0)
    t_hot = time.perf_counter() - t0
    return {
        "import_s": round(t_import, 2),
        "hotspots_total_s": round(t_hot, 2),
        "hexagons": len(region),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    ROWS = args.rows
    csv_path = WORK / f"enforcement_{ROWS}.csv"
    if not csv_path.exists():
        synthetic(csv_path, ROWS)
    import django

    django.setup()
    ensure_database()
    if not args.skip_baseline:
        ensure_pylib()
    result = {
        "area": "violations",
        "rows": ROWS,
        "file_mb": round(csv_path.stat().st_size / 1e6, 1),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores (shared), "
            f"Python {platform.python_version()}"
        ),
        "date": datetime.now().isoformat(timespec="seconds"),
        "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
        "targets": {"import_s": 60, "hotspots_total_s": 10},
        "modugil": ours(csv_path),
    }
    if not args.skip_baseline:
        result["baseline_pandas_geopandas"] = baseline(csv_path)
        for key in ("import_s", "hotspots_total_s"):
            result.setdefault("ratio_baseline_over_modugil", {})[key] = round(
                result["baseline_pandas_geopandas"][key] / result["modugil"][key], 1
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
