"""Import speed: modugil's importer against ogr2ogr and pandas + GeoPandas ``to_postgis``,
loading the same rows into the same PostGIS in one run.

    .venv/bin/python -m benchmarks.importers [--rows 1000000]

Inputs: the largest real CSV (전국주차장정보표준데이터, 14,802 rows, cp949) and N synthetic rows in
the same layout (default 1,000,000, generated once under benchmarks/work/importers/). modugil
runs its whole pipeline (decode, header check, dedupe by 관리번호, per-row validation, COPY into
a staging table, set-based upsert, history triggers) and then imports the same file again (every
row unchanged). The peers only load: ogr2ogr (GDAL CSV driver, PG_USE_COPY) and pandas/GeoPandas
(``read_csv`` + ``points_from_xy`` + ``to_postgis``); they get a UTF-8 copy because neither
decodes cp949 from a CSV. Uses its own database on the project's cluster (start it with
``bin/modugil db-start``). Writes benchmarks/results/importers.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.pylib import ensure_pylib

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "importers"
RESULTS = ROOT / "benchmarks" / "results" / "importers.json"
DB = "modugil_bench_importers"
NATIONAL = "kr-public/national_parking_lot_standard_2022_cp949.csv"
os.environ.setdefault("MODUGIL_DEBUG", "True")
os.environ["MODUGIL_DB_NAME"] = DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modugil.settings")
sys.path.insert(0, str(ROOT))


def _psql(settings: Any, database: str, sql: str) -> str:
    db = settings.DATABASES["default"]
    command = [
        "psql",
        "-h",
        db["HOST"],
        "-p",
        str(db["PORT"]),
        "-U",
        db["USER"],
        "-d",
        database,
        "-tAc",
        sql,
    ]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def fresh_database() -> None:
    """Drop and recreate the benchmark database, then migrate it."""
    from django.conf import settings

    _psql(settings, "postgres", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _psql(settings, "postgres", f"CREATE DATABASE {DB}")
    _psql(settings, DB, "CREATE EXTENSION IF NOT EXISTS postgis")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


HEADER_LINE = (
    "주차장관리번호,주차장명,주차장구분,주차장유형,소재지도로명주소,소재지지번주소,주차구획수,급지구분,부제시행구분,"
    "운영요일,평일운영시작시각,평일운영종료시각,토요일운영시작시각,토요일운영종료시각,공휴일운영시작시각,"
    "공휴일운영종료시각,요금정보,주차기본시간,주차기본요금,추가단위시간,추가단위요금,1일주차권요금적용시간,"
    "1일주차권요금,월정기권요금,결제방법,특기사항,관리기관명,전화번호,위도,경도,데이터기준일자,제공기관코드,제공기관명"
)
HEADER = next(csv.reader([HEADER_LINE]))
CITIES = [
    ("서울특별시", 126.98, 37.56),
    ("부산광역시", 129.07, 35.18),
    ("대전광역시", 127.38, 36.35),
    ("광주광역시", 126.85, 35.16),
    ("충청남도 천안시", 127.15, 36.81),
    ("제주특별자치도 제주시", 126.53, 33.50),
]
NOTES = [
    "",
    "",
    "경차 50% 할인",
    "장애인 차량 50프로 할인",
    "국가유공자, 장애인 1시간 면제",
    "24시간 운영",
]


def synthetic_csv(rows: int) -> Path:
    """N parking lots in the national layout, around six cities; 0.1 % repeat a 관리번호."""
    path = WORK / f"parking_{rows}.csv"
    if path.is_file():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261126)
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            city, lon, lat = rng.choice(CITIES)
            ident = i - 1 if i % 1000 == 999 else i  # a few re-published lots
            spaces = rng.randint(5, 900)
            row = {
                "주차장관리번호": f"999-{ident // 100_000}-{ident:07d}",
                "주차장명": f"합성 제{ident}공영주차장",
                "주차장구분": rng.choice(["공영", "민영"]),
                "주차장유형": rng.choice(["노외", "노상", "부설"]),
                "소재지도로명주소": f"{city} 합성로{ident % 997}번길 {ident % 89 + 1}",
                "소재지지번주소": f"{city} 합성동 {ident % 4999}-{ident % 37}",
                "주차구획수": str(spaces),
                "요금정보": rng.choice(["무료", "유료", "혼합"]),
                "특기사항": rng.choice(NOTES),
                "관리기관명": f"{city} 시설관리공단",
                "전화번호": f"0{rng.randint(2, 64)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                "위도": f"{lat + rng.uniform(-0.15, 0.15):.7f}",
                "경도": f"{lon + rng.uniform(-0.15, 0.15):.7f}",
                "데이터기준일자": f"2022-0{rng.randint(1, 6)}-{rng.randint(10, 28)}",
                "제공기관명": city,
            }
            writer.writerow([row.get(column, "") for column in HEADER])
    partial.rename(path)
    return path


def utf8_copy(path: Path) -> Path:
    target = WORK / (path.stem + "_utf8.csv")
    if not target.is_file():
        WORK.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_bytes().decode("cp949"), encoding="utf-8")
    return target


def run_modugil(path: Path, dataset: str, *, history: bool = True) -> dict[str, Any]:
    """The whole pipeline, committed. ``history=False`` is a diagnostic only: it switches the
    row-level history triggers off for the session to show what they cost."""
    from django.db import connection

    from importers.base import run_import
    from importers.sources.kr_national import NationalParkingLots

    source = NationalParkingLots()
    source.dataset = dataset  # type: ignore[misc]  # keep the synthetic rows apart from the real ones
    if not history:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    started = time.perf_counter()
    try:
        report = run_import(source, path, commit=True, geocode=False)
    finally:
        if not history:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    seconds = time.perf_counter() - started
    rows = len(report.outcomes)
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "counts": report.counts,
    }


def run_ogr2ogr(path: Path) -> dict[str, Any]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    target = f"PG:host={db['HOST']} port={db['PORT']} dbname={DB} user={db['USER']}"
    command = [
        "ogr2ogr", "-f", "PostgreSQL", target, str(path), "-nln", "bench_ogr2ogr", "-overwrite",
        "-oo", "X_POSSIBLE_NAMES=경도", "-oo", "Y_POSSIBLE_NAMES=위도", "-oo", "AUTODETECT_TYPE=YES",
        "-a_srs", "EPSG:4326", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST",
        "--config", "PG_USE_COPY", "YES", "-gt", "65536",
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    rows = int(_psql(settings, DB, "SELECT count(*) FROM bench_ogr2ogr"))
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def run_pandas(path: Path) -> dict[str, Any]:
    import geopandas as gpd
    import pandas as pd
    from django.conf import settings
    from sqlalchemy import create_engine

    db = settings.DATABASES["default"]
    engine = create_engine(
        f"postgresql+psycopg://{db['USER']}@/{DB}?host={db['HOST']}&port={db['PORT']}"
    )
    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str)
    geometry = gpd.points_from_xy(
        pd.to_numeric(frame["경도"]), pd.to_numeric(frame["위도"]), crs="EPSG:4326"
    )
    gpd.GeoDataFrame(frame, geometry=geometry).to_postgis(
        "bench_pandas", engine, if_exists="replace", chunksize=50_000, index=False
    )
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "rows": len(frame),
        "seconds": round(seconds, 2),
        "rows_per_s": round(len(frame) / seconds),
    }


def measure(name: str, path: Path, dataset: str) -> dict[str, Any]:
    print(f"[{name}] modugil ...", flush=True)
    result: dict[str, Any] = {"input": name, "file_mb": round(path.stat().st_size / 1e6, 1)}
    result["modugil"] = run_modugil(path, dataset)
    print(f"[{name}] modugil again (unchanged) ...", flush=True)
    result["modugil_reimport"] = run_modugil(path, dataset)
    print(f"[{name}] modugil without history triggers (diagnostic) ...", flush=True)
    result["modugil_no_history_diagnostic"] = run_modugil(path, dataset + "_diag", history=False)
    utf8 = path if "_cp949" not in path.name else utf8_copy(path)
    print(f"[{name}] ogr2ogr ...", flush=True)
    result["ogr2ogr"] = run_ogr2ogr(utf8)
    print(f"[{name}] pandas + GeoPandas to_postgis ...", flush=True)
    result["pandas_to_postgis"] = run_pandas(utf8)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="synthetic rows (default 1,000,000)"
    )
    args = parser.parse_args()
    ensure_pylib()
    fresh_database()
    from django.conf import settings

    national = Path(settings.DATA_DIR) / NATIONAL
    results = [measure("national parking standard 2022 (real, cp949)", national, "bench_national")]
    results.append(
        measure(
            f"synthetic {args.rows:,} rows (same layout)",
            synthetic_csv(args.rows),
            "bench_synthetic",
        )
    )
    document = {
        "benchmark": "importers",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_avg": os.getloadavg(),
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(document))


def table(document: dict[str, Any]) -> str:
    columns = [
        "input",
        "rows",
        "modugil rows/s (s)",
        "modugil re-import rows/s (s)",
        "modugil, history triggers off (diagnostic)",
        "ogr2ogr rows/s (s)",
        "pandas+to_postgis rows/s (s)",
        "ogr2ogr ÷ modugil",
        "pandas ÷ modugil",
    ]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for r in document["results"]:
        m, again, diag = r["modugil"], r["modugil_reimport"], r["modugil_no_history_diagnostic"]
        ogr, pd_ = r["ogr2ogr"], r["pandas_to_postgis"]
        cells = [r["input"], f"{m['rows']:,}"]
        cells += [f"{x['rows_per_s']:,} ({x['seconds']} s)" for x in (m, again, diag, ogr, pd_)]
        cells += [f"{x['rows_per_s'] / m['rows_per_s']:.1f}×" for x in (ogr, pd_)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
