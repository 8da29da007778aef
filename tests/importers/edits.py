"""A contribution edited the way the API edits it: through the versioned write service."""

from __future__ import annotations

from typing import Any

from mapping import services


def edit(obj: Any, user: Any, **changes: Any) -> Any:
    def apply(locked: Any) -> Any:
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        return locked

    return services.versioned_write(
        obj,
        version=obj.version,
        via_header=True,
        user=user,
        attempted=changes,
        method="PATCH",
        apply=apply,
    )
