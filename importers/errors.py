"""Importer errors: a row error rejects one row; a source error fails the whole batch."""

from __future__ import annotations

from modugil.errors import InvalidInput


class ImporterError(InvalidInput):
    """The batch cannot be read at all (encoding, missing columns, unreadable file)."""

    code = "import_failed"


class RowError(Exception):
    """One row is rejected; ``fields`` names what is wrong with it."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items()))
        self.fields = fields


def row_error(field: str, message: str) -> RowError:
    return RowError({field: [message]})
