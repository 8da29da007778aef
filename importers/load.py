"""Set-based upserts keyed by (source_dataset, source_ref): COPY into a staging table, then SQL.

One batch of records of one model, one dataset and one set of mapped fields is written with:

1. ``COPY`` into a temporary staging table shaped like the target table;
2. ``UPDATE ... FROM staging`` of live rows whose mapped fields or geometry differ (the version
   is bumped, so a client holding the old version gets 409/412, like any other edit);
3. ``INSERT ... SELECT`` of keys the table has never seen. A soft-deleted row counts as seen:
   an import never resurrects something deleted on purpose.

Everything else is unchanged. Database triggers (django-pghistory) record every insert and
update, as for any other write. Children (a place's entrances) are replaced only when they differ.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.db import connection, models
from psycopg.types.json import Jsonb

from importers.records import CREATED, UNCHANGED, UPDATED, Record

BATCH_SIZE = 5000
# Written by the loader itself, never compared: they change on every write.
BOOKKEEPING = ("version", "created_at", "updated_at", "resurvey_due_at")

Action = dict[tuple[str, str, str], str]


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _geometry(value: Any) -> Any:
    return None if value is None else value.hexewkb.decode()


def _json(field: models.JSONField) -> Callable[[Any], Any]:
    def dumps(value: Any) -> str:
        return json.dumps(value, cls=field.encoder)

    return lambda value: None if value is None else Jsonb(value, dumps=dumps)


def _as_is(value: Any) -> Any:
    return value


def _converter(field: models.Field) -> Callable[[Any], Any]:
    """How COPY receives a field: psycopg adapts plain Python values; JSON and geometry need help."""
    if isinstance(field, GeometryField):
        return _geometry
    if isinstance(field, models.JSONField):
        return _json(field)
    return _as_is


def _prepared_row(
    record: Record, dataset: str, now: datetime, plan: Sequence[tuple[str, Callable[[Any], Any]]]
) -> list[Any]:
    obj: Any = record.instance
    obj.source_dataset = dataset
    obj.source_ref = record.key
    obj.created_at = obj.updated_at = now
    obj.prepare_for_save()
    # the geometry comes from the record: it may be a LonLat, which a model field refuses
    return [
        convert(record.geom if attname == "geom" else getattr(obj, attname))
        for attname, convert in plan
    ]


def _staging(cursor: Any, table: str, fields: Sequence[models.Field]) -> str:
    stage = f"_import_stage_{table}"
    columns = ", ".join(f'"{f.column}"' for f in fields)
    cursor.execute(
        f'CREATE TEMP TABLE IF NOT EXISTS "{stage}" ON COMMIT DROP AS '  # noqa: S608
        f'SELECT {columns} FROM "{table}" WITH NO DATA'
    )
    cursor.execute(f'TRUNCATE "{stage}"')
    return stage


def _copy(
    cursor: Any, stage: str, fields: Sequence[models.Field], rows: Iterable[list[Any]]
) -> None:
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with cursor.cursor.copy(f'COPY "{stage}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


_MATCH = (
    "t.source_dataset = s.source_dataset AND t.source_ref = s.source_ref AND t.source_ref <> ''"
)
# Edited here since the last import wrote it (see ImportedVersion): leave it alone.
_EDITED = (
    "EXISTS (SELECT 1 FROM importers_importedversion iv WHERE iv.table_name = %s "
    "AND iv.object_id = t.id AND iv.version <> t.version)"
)


def _differs(compared: Sequence[models.Field]) -> str:
    return " OR ".join(f't."{f.column}" IS DISTINCT FROM s."{f.column}"' for f in compared)


def _kept(cursor: Any, table: str, stage: str, compared: Sequence[models.Field]) -> set[str]:
    """Keys the file would change but that were edited here since the last import."""
    cursor.execute(
        f'SELECT t.source_ref FROM "{table}" t JOIN "{stage}" s ON {_MATCH} '  # noqa: S608
        f"WHERE t.deleted_at IS NULL AND ({_differs(compared)}) AND {_EDITED}",
        [table],
    )
    return {ref for (ref,) in cursor.fetchall()}


def _update(
    cursor: Any, table: str, stage: str, compared: Sequence[models.Field]
) -> dict[str, tuple[int, int]]:
    assignments = ", ".join(f'"{f.column}" = s."{f.column}"' for f in compared)
    cursor.execute(
        f'UPDATE "{table}" t SET {assignments}, version = t.version + 1, '  # noqa: S608
        "updated_at = s.updated_at, "
        "resurvey_due_at = CASE WHEN t.last_verified_at IS NULL "
        "THEN s.resurvey_due_at ELSE t.resurvey_due_at END "
        f'FROM "{stage}" s WHERE {_MATCH} AND t.deleted_at IS NULL '
        f"AND ({_differs(compared)}) AND NOT {_EDITED} RETURNING t.source_ref, t.id, t.version",
        [table],
    )
    return {ref: (pk, version) for ref, pk, version in cursor.fetchall()}


def _insert(
    cursor: Any, table: str, stage: str, fields: Sequence[models.Field]
) -> dict[str, tuple[int, int]]:
    columns = ", ".join(f'"{f.column}"' for f in fields)
    # The unique (source_dataset, source_ref) index decides what is new: no join to plan, and a
    # soft-deleted row still counts as seen.
    cursor.execute(
        f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{stage}" '  # noqa: S608
        "ON CONFLICT (source_dataset, source_ref) WHERE source_ref <> '' DO NOTHING "
        "RETURNING source_ref, id, version"
    )
    return {ref: (pk, version) for ref, pk, version in cursor.fetchall()}


def remember_versions(cursor: Any, table: str, written: Iterable[tuple[int, int]]) -> None:
    """Record the version each written row now has, so later local edits can be recognised."""
    pairs = list(written)
    if not pairs:
        return
    cursor.execute(
        "INSERT INTO importers_importedversion (table_name, object_id, version) "
        "SELECT %s, unnest(%s::bigint[]), unnest(%s::integer[]) "
        "ON CONFLICT (table_name, object_id) DO UPDATE SET version = EXCLUDED.version",
        [table, [pk for pk, _ in pairs], [v for _, v in pairs]],
    )


class Growth:
    """Rows a run added per table. Planner statistics do not see them until ANALYZE; a table
    grown from nothing to a million rows in one transaction would otherwise be planned as
    empty (sequential scans in every later batch)."""

    def __init__(self) -> None:
        self.since_analyze: dict[str, int] = {}

    def add(self, cursor: Any, table: str, rows: int) -> None:
        grown = self.since_analyze.get(table, 0) + rows
        if grown >= ANALYZE_EVERY:
            cursor.execute(f'ANALYZE "{table}"')
            grown = 0
        self.since_analyze[table] = grown


ANALYZE_EVERY = 50_000


def _load_group(
    records: list[Record], dataset: str, now: datetime, growth: Growth
) -> dict[str, str]:
    """Upsert records sharing model, dataset and mapped fields; return {key: action}."""
    model = records[0].model
    table = model._meta.db_table
    fields = _columns(model)
    mapped = set(records[0].values) | {"geom"}
    compared = [f for f in fields if f.name in mapped and f.name not in BOOKKEEPING]
    with connection.cursor() as cursor:
        stage = _staging(cursor, table, fields)
        plan = [(f.attname, _converter(f)) for f in fields]
        _copy(cursor, stage, fields, (_prepared_row(r, dataset, now, plan) for r in records))
        cursor.execute(f'ANALYZE "{stage}"')
        kept = _kept(cursor, table, stage, compared)
        updated = _update(cursor, table, stage, compared)
        created = _insert(cursor, table, stage, fields)
        remember_versions(cursor, table, [*updated.values(), *created.values()])
        growth.add(cursor, table, len(created))
    actions = {
        r.key: CREATED if r.key in created else UPDATED if r.key in updated else UNCHANGED
        for r in records
    }
    for record in records:
        if record.key in kept:
            record.flags.append("local_edit_kept")
    with_children = [r for r in records if r.children and r.key not in kept]
    if with_children:
        _sync_children(model, dataset, with_children, actions, now)
    return actions


def _sync_children(
    model: type[models.Model],
    dataset: str,
    records: list[Record],
    actions: dict[str, str],
    now: datetime,
) -> None:
    """Replace children that differ from the file; a parent whose children changed is updated."""
    ids = dict(
        model.objects.filter(  # type: ignore[attr-defined]
            source_dataset=dataset, source_ref__in=[r.key for r in records]
        ).values_list("source_ref", "pk")
    )
    changed_parents: set[int] = set()
    for relation in {name for r in records for name in r.children}:
        rel = getattr(model, relation).rel
        child_model, fk = rel.related_model, rel.field.name
        wanted = {ids[r.key]: r.children.get(relation, []) for r in records if r.key in ids}
        current = _current_children(child_model, fk, wanted)
        changed = [pk for pk, rows in wanted.items() if not _same(current.get(pk, []), rows)]
        child_model.objects.filter(**{f"{fk}_id__in": changed}).delete()
        child_model.objects.bulk_create(
            [child_model(**{f"{fk}_id": pk}, **row) for pk in changed for row in wanted[pk]]
        )
        changed_parents.update(changed)
    refs = {pk: ref for ref, pk in ids.items()}
    bump = [pk for pk in changed_parents if actions[refs[pk]] == UNCHANGED]
    for pk in bump:
        actions[refs[pk]] = UPDATED
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{model._meta.db_table}" SET version = version + 1, updated_at = %s '  # noqa: S608
            "WHERE id = ANY(%s) RETURNING id, version",
            [now, bump],
        )
        remember_versions(cursor, model._meta.db_table, cursor.fetchall())


def _current_children(
    child_model: type[models.Model], fk: str, wanted: dict[int, list[dict[str, Any]]]
) -> dict[int, list[dict[str, Any]]]:
    keys = sorted({k for rows in wanted.values() for row in rows for k in row})
    current: dict[int, list[dict[str, Any]]] = {}
    rows = child_model._default_manager.filter(**{f"{fk}_id__in": list(wanted)}).order_by(
        f"{fk}_id", "pk"
    )
    for row in rows.values(f"{fk}_id", *keys):
        current.setdefault(row.pop(f"{fk}_id"), []).append(row)
    return current


def _same(current: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> bool:
    """Only the keys the file gives count: defaults on the child model are not a change."""
    return len(current) == len(wanted) and all(
        {k: have[k] for k in want} == want for have, want in zip(current, wanted, strict=True)
    )


def load(
    records: list[Record], default_dataset: str, now: datetime, growth: Growth | None = None
) -> Action:
    """Upsert ``records`` (already validated); return {(model label, dataset, key): action}."""
    growth = growth or Growth()
    groups: dict[tuple[Any, ...], list[Record]] = {}
    for record in records:
        dataset = record.dataset or default_dataset
        signature = (record.model, dataset, frozenset(record.values))
        groups.setdefault(signature, []).append(record)
    actions: Action = {}
    for (model, dataset, _), group in groups.items():
        for start in range(0, len(group), BATCH_SIZE):
            batch = group[start : start + BATCH_SIZE]
            for key, action in _load_group(batch, dataset, now, growth).items():
                actions[(model._meta.label, dataset, key)] = action
    return actions


def begin(dataset: str) -> None:
    """Prepare the import transaction.

    Serialise concurrent imports of one dataset (an advisory lock held until the end), and check
    foreign keys per statement: Django declares them DEFERRABLE INITIALLY DEFERRED, and a million
    deferred checks (one per inserted row and history event) pile up in the transaction, making
    every later INSERT slower (measured: 0.5 s per 5,000 rows flat instead of growing past 4 s
    by the 20th batch). Integrity is the same; only the checks come earlier.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"modugil-import:{dataset}"])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
