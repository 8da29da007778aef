"""Officials-only QA layer: contributions that need a second look (deleted, rejected, disputed)."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from mapping.models import AccessibilityFeature, ReviewStatus
from tiles.layer import LayerParams, MapLayer
from tiles.registry import register


@register
class FeaturesForReview(MapLayer):
    """Soft-deleted, rejected and disputed features with the reviewers' notes and vote counts.

    Deleted and rejected contributions never appear in public layers; officials see them here
    to check that nothing valid was removed. Observer names stay on the officials' side.
    """

    name = "review-features"
    title = _("Contributions to review")
    description = _("Deleted, rejected and disputed accessibility features (officials only).")
    geometry = "point"
    # Not accounts_user: every log-in writes it. A renamed observer shows at the next edit.
    depends_on = (AccessibilityFeature,)
    required_role = Role.OFFICIAL
    minzoom = 12
    color = "#a40e26"
    attributes: ClassVar[dict[str, str]] = {
        "id": "Feature id",
        "feature_type": "Feature type",
        "review": "deleted, rejected or disputed",
        "status": "Review status",
        "note": "Reviewers' note",
        "agree_count": "Agree votes",
        "disagree_count": "Disagree votes",
        "observer_name": "Who recorded it",
    }

    def features(self, params: LayerParams) -> QuerySet:
        review = Case(
            When(deleted_at__isnull=False, then=Value("deleted")),
            When(status=ReviewStatus.REJECTED, then=Value("rejected")),
            default=Value("disputed"),
            output_field=CharField(),
        )
        return AccessibilityFeature.all_objects.filter(
            Q(deleted_at__isnull=False)
            | Q(status__in=[ReviewStatus.REJECTED, ReviewStatus.DISPUTED])
        ).annotate(
            review=review,
            observer_name=Coalesce(
                NullIf(F("observer__display_name"), Value("")), F("observer__username")
            ),
        )

    def style_layers(self, source: str) -> list[dict[str, object]]:
        layers = super().style_layers(source)
        layers[0]["paint"]["circle-stroke-color"] = "#000000"  # type: ignore[index]
        return layers
