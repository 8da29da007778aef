"""Reading messy public files: encoding detection, header checks, Korean flag values."""

from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
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


@dataclass
class CsvFile:
    """A decoded CSV whose header was checked; ``rows`` yields rows keyed by canonical names.

    ``aliases`` maps a canonical column name to other names it may carry in older or newer
    releases; a renamed column that is found is noted, a missing one fails the whole batch with
    the closest header names as hints.
    """

    path: Path
    encoding: str
    header: list[str]
    rename: dict[str, str]  # file column -> canonical name
    text: str
    notes: list[str] = field(default_factory=list)

    def columns(self, *names: str) -> Iterator[tuple[int, tuple[str, ...]]]:
        """Only some columns (canonical names), without building a dict per row."""
        canonical = [self.rename.get(h, h) for h in self.header]
        positions = [canonical.index(n) if n in canonical else -1 for n in names]
        reader = csv.reader(io.StringIO(self.text))
        next(reader, None)
        for line, values in enumerate(reader, start=2):
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            yield line, tuple(values[p].strip() if 0 <= p < len(values) else "" for p in positions)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.reader(io.StringIO(self.text))
        next(reader, None)
        names = [self.rename.get(h, h) for h in self.header]
        width = len(names)
        for line, values in enumerate(reader, start=2):
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if len(values) < width:
                values = values + [""] * (width - len(values))
            yield (
                line,
                {name: (value or "").strip() for name, value in zip(names, values, strict=False)},
            )


def open_csv(
    path: Path,
    required: Iterable[str],
    encoding: str | None = None,
    *,
    optional: Iterable[str] = (),
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> CsvFile:
    """Decode ``path`` (detecting cp949 / utf-8) and resolve its header against ``required``."""
    raw = path.read_bytes()
    encoding = encoding or detect_encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise ImporterError(
            f"The file is not valid {encoding}: {e}",
            fields={"encoding": [f"Not valid {encoding}."]},
        ) from e
    text = text.lstrip("\ufeff")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # macOS exports decompose Hangul
    header = [h.strip() for h in next(csv.reader(io.StringIO(text)), [])]
    rename, notes, missing = _resolve(header, list(required), list(optional), aliases or {})
    if missing:
        hints = {m: difflib.get_close_matches(m, header, n=1, cutoff=0.5) for m in missing}
        raise ImporterError(
            f"Missing columns: {', '.join(missing)} (found: {', '.join(header)})",
            fields={
                m: [f"Missing column{'; did you mean ' + repr(h[0]) + '?' if h else '.'}"]
                for m, h in hints.items()
            },
        )
    return CsvFile(path, encoding, header, rename, text, notes)


def _resolve(
    header: list[str], required: list[str], optional: list[str], aliases: dict[str, tuple[str, ...]]
) -> tuple[dict[str, str], list[str], list[str]]:
    rename: dict[str, str] = {}
    notes: list[str] = []
    missing: list[str] = []
    for column in [*required, *optional]:
        if column in header:
            continue
        found = next((a for a in aliases.get(column, ()) if a in header), None)
        if found is not None:
            rename[found] = column
            notes.append(f"column {column!r} read from {found!r}")
        elif column in required:
            missing.append(column)
    return rename, notes, missing


def read_csv(
    path: Path, required: Sequence[str], encoding: str | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) after checking every ``required`` column is in the header."""
    yield from open_csv(path, required, encoding).rows()


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
