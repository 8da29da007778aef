"""Bulk import of enforcement records (불법주정차 단속 현황) from CSV files.

Two layouts are recognised from the header:

* **aggregated** (per location, e.g. Cheonan's 동일좌표별 단속건수): ``단속건수, 위도, 경도`` and
  optionally ``대표_단속동``, ``대표_장소``; the period comes from ``--year`` / the file name.
* **per case** (one row per ticket): ``위도, 경도`` with ``단속일시`` or ``단속일자`` (+ ``단속시간``),
  optionally ``단속동``, ``단속장소``, ``위반유형``, ``단속건수``.

Reading reuses ``importers.readers`` (encoding detection, header checks). Rows geocoded to a
city-centre fallback point are flagged and not mapped. Writing is one COPY in one transaction
(nothing is written if anything fails); a dry run is the default. The insert-history trigger is
skipped for the bulk rows: the ``ImportRun`` (file SHA-256, counts, rejected rows) records them,
and every later change to a row is tracked by pghistory as usual.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from importers.errors import ImporterError, RowError, row_error
from importers.readers import detect_encoding, parse_int, parse_lon_lat, read_csv
from modugil.geo import coordinate_problem
from violations.models import TimePrecision, ViolationType

AGGREGATED, PER_CASE = "aggregated", "per_case"
LAT, LON, COUNT = "위도", "경도", "단속건수"
DISTRICT_COLUMNS = ("대표_단속동", "단속동")
PLACE_COLUMNS = ("대표_장소", "단속장소")
DATETIME_COLUMN, DATE_COLUMN, TIME_COLUMN, TYPE_COLUMN = (
    "단속일시",
    "단속일자",
    "단속시간",
    "위반유형",
)
FALLBACK_TOLERANCE_DEG = 0.00005  # about 5 m
CITY_ONLY = re.compile(r"^\S+[시군구]$")
_DIGITS = re.compile(r"\d+")


@dataclass
class EnforcementRow:
    line: int
    lon: float
    lat: float
    occurred_at: datetime
    occurred_until: datetime | None
    precision: str
    cases: int
    district: str
    place: str
    violation_type: str


@dataclass
class Flagged:
    line: int
    reason: str
    cases: int
    lon: float | None
    lat: float | None
    place: str


@dataclass
class Rejected:
    line: int
    errors: dict[str, list[str]]


@dataclass
class Layout:
    name: str
    required: tuple[str, ...]
    header: list[str]

    def first(self, candidates: tuple[str, ...]) -> str | None:
        return next((c for c in candidates if c in self.header), None)


@dataclass
class ParseOptions:
    period_start: datetime | None = None
    period_end: datetime | None = None
    fallback_points: list[tuple[float, ...]] = field(default_factory=list)


def sniff_layout(path: Path) -> Layout:
    """Tell the layout from the header line; ``ImporterError`` names missing columns."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    head = head[: head.rfind(b"\n") + 1] or head
    text = head.decode(detect_encoding(head), errors="replace").lstrip("\ufeff")
    header = [h.strip().strip('"') for h in text.splitlines()[0].split(",")] if text else []
    if LAT not in header or LON not in header:
        raise ImporterError(
            f"Missing columns {LAT}/{LON} (found: {', '.join(header)})",
            fields={c: ["Missing column."] for c in (LAT, LON) if c not in header},
        )
    if DATETIME_COLUMN in header:
        return Layout(PER_CASE, (LAT, LON, DATETIME_COLUMN), header)
    if DATE_COLUMN in header:
        return Layout(PER_CASE, (LAT, LON, DATE_COLUMN), header)
    if COUNT in header:
        return Layout(AGGREGATED, (COUNT, LAT, LON), header)
    raise ImporterError(
        f"Neither {COUNT} (per-location counts) nor {DATETIME_COLUMN}/{DATE_COLUMN} "
        f"(one row per case) is in the header: {', '.join(header)}",
        fields={COUNT: ["Missing column."], DATE_COLUMN: ["Missing column."]},
    )


def year_period(path: Path, year: int | None, until: datetime | None) -> tuple[datetime, datetime]:
    """The period an aggregated file covers: the given year, else the year in its file name."""
    if year is None:
        match = re.search(r"(20\d\d)", path.name)
        if match is None:
            msg = "An aggregated file needs its year (--year): none in the file name."
            raise ImporterError(msg, fields={"year": [msg]})
        year = int(match.group(1))
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime(year, 1, 1, tzinfo=tz)
    end = until or datetime(year + 1, 1, 1, tzinfo=tz) - timedelta(seconds=1)
    return start, end


def parse(
    path: Path, layout: Layout, options: ParseOptions
) -> Iterator[EnforcementRow | Flagged | Rejected]:
    """Parse every row (no database): a good row, a flagged row or a rejected row with reasons."""
    district_col = layout.first(DISTRICT_COLUMNS)
    place_col = layout.first(PLACE_COLUMNS)
    has_time = TIME_COLUMN in layout.header
    has_type = TYPE_COLUMN in layout.header
    has_count = COUNT in layout.header
    tz = ZoneInfo(settings.TIME_ZONE)
    for line, row in read_csv(path, layout.required):
        try:
            lon_lat = parse_lon_lat(row[LON], row[LAT], LON, LAT)
            cases = parse_int(row[COUNT], COUNT, minimum=0) if has_count else 1
            if cases is None:
                if layout.name == AGGREGATED:
                    raise row_error(COUNT, "Empty: the number of cases is required.")
                cases = 1
            place = row[place_col] if place_col else ""
            district = row[district_col] if district_col else ""
            if cases == 0:
                yield Flagged(line, "zero_cases", 0, None, None, place)
                continue
            if lon_lat is None:
                raise row_error(f"{LAT}/{LON}", "No coordinates.")
            lon, lat = lon_lat
            problem = coordinate_problem(lon, lat)
            if problem:
                raise row_error(f"{LAT}/{LON}", problem)
            reason = _fallback_reason(lon, lat, place, district, options.fallback_points)
            if reason:
                yield Flagged(line, reason, cases, lon, lat, place)
                continue
            if layout.name == AGGREGATED:
                start, until, precision = (
                    options.period_start,
                    options.period_end,
                    str(TimePrecision.PERIOD),
                )
            else:
                start, precision = _case_time(row, has_time, tz)
                until = None
            yield EnforcementRow(
                line,
                lon,
                lat,
                start,  # type: ignore[arg-type]
                until,
                precision,
                cases,
                district[:60],
                place[:200],
                _violation_type(row[TYPE_COLUMN]) if has_type else ViolationType.ILLEGAL_PARKING,
            )
        except RowError as e:
            yield Rejected(line, e.fields)


def _fallback_reason(
    lon: float, lat: float, place: str, district: str, points: list[tuple[float, ...]]
) -> str:
    for p_lon, p_lat in points:
        if (
            abs(lon - p_lon) <= FALLBACK_TOLERANCE_DEG
            and abs(lat - p_lat) <= FALLBACK_TOLERANCE_DEG
        ):
            return "geocode_fallback_point"
    if place and not district and CITY_ONLY.match(place.strip()):
        return "city_only_address"
    return ""


def _case_time(row: dict[str, str], has_time: bool, tz: ZoneInfo) -> tuple[datetime, str]:
    """단속일시 '2024-03-05 14:03' or 단속일자 '2024.03.05' (+ 단속시간 '14:03'), in local time."""
    if DATETIME_COLUMN in row:
        text, column = row[DATETIME_COLUMN], DATETIME_COLUMN
    else:
        text = f"{row[DATE_COLUMN]} {row[TIME_COLUMN]}" if has_time else row[DATE_COLUMN]
        column = DATE_COLUMN
    try:  # the common case, 2024-03-05 14:03 or 2024-03-05, without the regex below
        parsed = datetime.fromisoformat(text.strip())
        when = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
        exact = len(text.strip()) > 10
        return when, TimePrecision.EXACT if exact else TimePrecision.DAY
    except ValueError:
        pass
    parts = [int(p) for p in _DIGITS.findall(text)]
    if len(parts) == 1 and len(text.strip()) >= 8:  # 20240305 or 202403051403
        digits = text.strip()
        parts = [int(digits[0:4]), int(digits[4:6]), int(digits[6:8])]
        parts += [int(digits[i : i + 2]) for i in range(8, min(len(digits), 14), 2)]
    if len(parts) < 3:
        raise row_error(column, f"Expected a date such as 2024-03-05, got {text!r}.")
    try:
        when = datetime(*parts[:6], tzinfo=tz)  # type: ignore[arg-type, misc]
    except (TypeError, ValueError) as e:
        raise row_error(column, f"Not a valid date/time: {text!r}.") from e
    return when, TimePrecision.EXACT if len(parts) >= 5 else TimePrecision.DAY


def _violation_type(text: str) -> str:
    if "표지" in text:
        return ViolationType.PERMIT_MISUSE
    if "방해" in text:
        return ViolationType.OBSTRUCTION
    return ViolationType.ILLEGAL_PARKING


@dataclass
class EnforcementReport:
    path: str
    sha256: str
    dataset: str
    layout: str
    committed: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)
    flagged: list[Flagged] = field(default_factory=list)
    message: str = ""
    run_id: int | None = None

    def as_counts(self) -> dict[str, Any]:
        return dict(self.counts)
