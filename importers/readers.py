"""Reading messy public files: encoding detection, header checks, Korean flag values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from charset_normalizer import from_bytes

from importers.errors import ImporterError, row_error

# Encodings seen in Korean public data, tried in this order before asking charset-normalizer.
KOREAN_ENCODINGS = ("utf-8-sig", "cp949")

YES_VALUES = {"y", "yes", "true", "1", "있음", "유", "o", "가능", "설치"}
NO_VALUES = {"n", "no", "false", "0", "없음", "무", "x", "불가능", "미설치"}


def detect_encoding(raw: bytes) -> str:
    """utf-8 (with or without BOM) or cp949, else charset-normalizer's best guess."""
    for encoding in KOREAN_ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    best = from_bytes(raw[:200_000]).best()
    if best is None:
        raise ImporterError(
            "Cannot tell the file's text encoding.", fields={"file": ["Unknown encoding."]}
        )
    return str(best.encoding)


def read_csv(
    path: Path, required: Sequence[str], encoding: str | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) after checking every ``required`` column is in the header."""
    raw = path.read_bytes()
    encoding = encoding or detect_encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise ImporterError(
            f"The file is not valid {encoding}: {e}",
            fields={"encoding": [f"Not valid {encoding}."]},
        ) from e
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        raise ImporterError(
            f"Missing columns: {', '.join(missing)} (found: {', '.join(header)})",
            fields={column: ["Missing column."] for column in missing},
        )
    for line, row in enumerate(reader, start=2):
        yield line, {k: (v or "").strip() for k, v in row.items() if k is not None}


def parse_flag(value: str, column: str) -> bool | None:
    """Y/N, 있음/없음 and friends; empty means unknown (None), anything else is a row error."""
    text = value.strip().lower()
    if text == "":
        return None
    if text in YES_VALUES:
        return True
    if text in NO_VALUES:
        return False
    raise row_error(column, f"Expected Y/N or 있음/없음, got {value!r}.")


def parse_int(value: str, column: str, *, minimum: int = 0, maximum: int = 10**7) -> int | None:
    text = value.replace(",", "").strip()
    if text == "":
        return None
    try:
        number = int(float(text))
    except ValueError as e:
        raise row_error(column, f"Expected a number, got {value!r}.") from e
    if not minimum <= number <= maximum:
        raise row_error(column, f"{number} is outside {minimum}..{maximum}.")
    return number


def parse_lon_lat(
    lon_text: str, lat_text: str, lon_column: str, lat_column: str
) -> tuple[float, float] | None:
    """Both empty: no coordinates (None). Otherwise two floats; range checks come later."""
    if not lon_text.strip() and not lat_text.strip():
        return None
    try:
        return float(lon_text), float(lat_text)
    except ValueError as e:
        raise row_error(
            f"{lon_column}/{lat_column}", f"Not numbers: {lon_text!r}, {lat_text!r}."
        ) from e
