"""Declarative column mappings: a source says which column feeds which field, in a few lines.

    fields = {
        "lot_name": text("주차장명"),
        "disabled_spaces": integer("장애인전용", maximum=2000),
        "lot_kind": const(LotKind.PUBLIC),
        "extra": extras(행정동=text("행정동")),
    }

Each spec names the columns it reads (checked against the header before the first row,
with ``aliases`` for renamed columns) and turns a row into a value; bad values raise a
``RowError`` naming the column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from importers.errors import row_error
from importers.readers import parse_flag, parse_int

Row = dict[str, str]


@dataclass(frozen=True)
class Spec:
    """Reads ``columns`` from a row; ``convert`` gets their stripped values."""

    columns: tuple[str, ...]
    convert: Callable[..., Any]
    optional: frozenset[str] = frozenset()  # columns that may be missing from the file
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __call__(self, row: Row) -> Any:
        if len(self.columns) == 1:
            return self.convert(row.get(self.columns[0], ""))
        return self.convert(*[row.get(c, "") for c in self.columns])


def _optional(column: str, required: bool) -> frozenset[str]:
    return frozenset() if required else frozenset({column})


def text(column: str, *aliases: str, required: bool = True, default: str = "") -> Spec:
    return Spec((column,), lambda v: v or default, _optional(column, required), {column: aliases})


def flag(column: str, *aliases: str, required: bool = True) -> Spec:
    """Y/N, 있음/없음...; empty is unknown (None)."""
    return Spec(
        (column,), lambda v: parse_flag(v, column), _optional(column, required), {column: aliases}
    )


def integer(
    column: str, *aliases: str, minimum: int = 0, maximum: int = 10**7, required: bool = True
) -> Spec:
    return Spec(
        (column,),
        lambda v: parse_int(v, column, minimum=minimum, maximum=maximum),
        _optional(column, required),
        {column: aliases},
    )


def date(column: str, *aliases: str, required: bool = True) -> Spec:
    """YYYY-MM-DD (or with dots/slashes) as midnight UTC; empty -> None (the field default)."""

    def convert(value: str) -> datetime | None:
        if not value:
            return None
        cleaned = value.replace(".", "-").replace("/", "-")[:10]
        try:
            return datetime.fromisoformat(cleaned).replace(tzinfo=UTC)
        except ValueError:
            pass
        try:  # unpadded months and days (2022-6-1)
            return datetime.strptime(cleaned, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError as e:
            raise row_error(column, f"Expected a date like 2022-06-21, got {value!r}.") from e

    return Spec((column,), convert, _optional(column, required), {column: aliases})


def const(value: Any) -> Spec:
    return Spec((), lambda: value)


def compute(function: Callable[..., Any], *columns: str, required: bool = True) -> Spec:
    """``function`` gets the stripped values of ``columns`` in order."""
    return Spec(tuple(columns), function, frozenset() if required else frozenset(columns))


def extras(**specs: Spec) -> Spec:
    """A JSON object of several specs; keys whose value is empty or None are left out."""
    columns = tuple(c for spec in specs.values() for c in spec.columns)
    aliases = {k: v for spec in specs.values() for k, v in spec.aliases.items()}

    def convert(*values: str) -> dict[str, Any]:
        row = dict(zip(columns, values, strict=True))
        result = {name: spec(row) for name, spec in specs.items()}
        return {k: v for k, v in result.items() if v not in (None, "")}

    optional = frozenset(c for spec in specs.values() for c in spec.optional)
    return Spec(columns, convert, optional, aliases)


def columns_of(specs: dict[str, Spec]) -> tuple[set[str], set[str], dict[str, tuple[str, ...]]]:
    """(required columns, optional columns, aliases) for a mapping."""
    required: set[str] = set()
    optional: set[str] = set()
    aliases: dict[str, tuple[str, ...]] = {}
    for spec in specs.values():
        required.update(c for c in spec.columns if c not in spec.optional)
        optional.update(spec.optional)
        aliases.update({k: v for k, v in spec.aliases.items() if v})
    return required, optional - required, aliases
