"""Keep built graphs in step with verified crowd observations.

Any save of an ``AccessibilityFeature`` (a vote reaching consensus, an official's review, an edit
or a soft delete) schedules :func:`routing.graph.overlay.feature_changed` after the transaction
commits, so the graph never sees a change that was rolled back.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mapping.models import AccessibilityFeature


def _refresh(feature_id: int) -> None:
    from routing.graph.overlay import feature_changed  # heavy imports only when needed

    feature_changed(feature_id)


def feature_saved(
    sender: type[AccessibilityFeature], instance: AccessibilityFeature, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    feature_id = instance.pk
    # robust: a failed refresh is logged and never fails the vote or edit that was committed;
    # ``manage.py build_graph`` or a later verification brings the overlay up to date.
    transaction.on_commit(lambda: _refresh(feature_id), robust=True)
