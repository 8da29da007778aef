"""Change counters that move each layer's version (see :mod:`tiles.versions`)."""

from __future__ import annotations

from django.db import models


class TableChanges(models.Model):
    """Statements that changed ``table_name``, counted per database backend process.

    Written only by the ``tiles_count_changes`` statement trigger. ``backend_pid`` 0 holds the
    folded total of backends that are gone. Internal bookkeeping, not shared data: no history.
    """

    table_name = models.CharField(max_length=63)
    backend_pid = models.IntegerField()
    changes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["table_name", "backend_pid"], name="tiles_changes_per_backend"
            )
        ]

    def __str__(self) -> str:
        return f"{self.table_name}@{self.backend_pid}: {self.changes}"
