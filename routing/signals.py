"""Keep built graphs in step with verified crowd observations.

Any save of an ``AccessibilityFeature`` (a vote reaching consensus, an official's review, an edit
or a soft delete) schedules :func:`routing.graph.overlay.feature_changed` after the transaction
commits, so the graph never sees a change that was rolled back.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from mapping.models import AccessibilityFeature

logger = logging.getLogger(__name__)


def _refresh(feature_id: int) -> None:
    from routing.graph.overlay import feature_changed  # heavy imports only when needed

    try:
        feature_changed(feature_id)
    except FileNotFoundError:
        # The arrays of an active build were removed by hand: the edit itself must not fail.
        logger.exception("graph overlay refresh failed for feature %s", feature_id)


def feature_saved(
    sender: type[AccessibilityFeature], instance: AccessibilityFeature, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    feature_id = instance.pk
    transaction.on_commit(lambda: _refresh(feature_id))
