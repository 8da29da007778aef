"""Layer versions count every write per backend; folding finished backends keeps the sum."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import make_feature
from tiles import versions
from tiles.models import TableChanges
from tiles.registry import get_layer
from tiles.versions import fold_changes, layer_version

pytestmark = pytest.mark.django_db
TABLE = "mapping_accessibilityfeature"


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_each_write_statement_is_counted_on_this_backends_row() -> None:
    layer = get_layer("features")
    before = int(layer_version(layer).split(".")[0])
    make_feature()
    make_feature()
    after = int(layer_version(layer).split(".")[0])
    assert after >= before + 2
    row = TableChanges.objects.get(table_name=TABLE, backend_pid=_backend_pid())
    assert row.changes >= 2


def _total() -> int:
    return sum(TableChanges.objects.filter(table_name=TABLE).values_list("changes", flat=True))


def test_folding_finished_backends_keeps_the_sum() -> None:
    make_feature()
    gone = [TableChanges(table_name=TABLE, backend_pid=-i, changes=i) for i in range(1, 80)]
    TableChanges.objects.bulk_create(gone)
    total, rows_before = _total(), TableChanges.objects.filter(table_name=TABLE).count()
    fold_changes([TABLE])
    assert _total() == total
    assert TableChanges.objects.filter(table_name=TABLE).count() < rows_before - 70
    # This backend is alive: its row stays its own, so its next write never waits on a fold.
    assert TableChanges.objects.filter(table_name=TABLE, backend_pid=_backend_pid()).exists()


def test_reading_a_version_folds_when_rows_pile_up(monkeypatch) -> None:
    monkeypatch.setattr(versions, "_last_fold_s", {})
    gone = [TableChanges(table_name=TABLE, backend_pid=-i, changes=1) for i in range(1, 100)]
    TableChanges.objects.bulk_create(gone)
    version = layer_version(get_layer("features"))
    assert TableChanges.objects.filter(table_name=TABLE).count() <= 2
    assert layer_version(get_layer("features")) == version


def test_a_layer_version_ignores_other_tables() -> None:
    places = get_layer("places")
    version = layer_version(places)
    make_feature()
    assert layer_version(places) == version


def test_a_missing_trigger_is_installed_before_the_version_is_trusted(monkeypatch) -> None:
    monkeypatch.setattr(versions, "_checked", set())
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER tiles_count_changes ON {TABLE}")
    layer = get_layer("features")
    before = layer_version(layer)
    make_feature()
    assert layer_version(layer) != before
