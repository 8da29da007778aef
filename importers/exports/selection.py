"""What to export: layers, datasets, an area, and whether rejected contributions are included."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.gis.geos import Polygon
from django.db import models

from importers.models import StreetAccessScore
from mapping.models import AccessibilityFeature, DisabledParkingSpot, Place, ReviewStatus
from modugil.errors import InvalidInput


@dataclass(frozen=True)
class Layer:
    name: str
    model: type[models.Model]
    children: tuple[str, ...] = ()


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer("places", Place, ("entrances",)),
        Layer("features", AccessibilityFeature),
        Layer("parking", DisabledParkingSpot),
        Layer("street_scores", StreetAccessScore),
    )
}


@dataclass
class Selection:
    layers: list[str] = field(default_factory=lambda: list(LAYERS))
    datasets: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    include_rejected: bool = False
    updated_since: datetime | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.layers if name not in LAYERS]
        if unknown:
            msg = f"Unknown layer(s) {', '.join(unknown)}; use {', '.join(LAYERS)}."
            raise InvalidInput(msg, fields={"layer": [msg]})

    def queryset(self, layer: Layer) -> models.QuerySet:
        """Live rows of ``layer`` matching the selection, in a stable order."""
        qs = layer.model.objects.all()  # type: ignore[attr-defined]
        if not self.include_rejected:
            qs = qs.exclude(status=ReviewStatus.REJECTED)
        if self.datasets:
            qs = qs.filter(source_dataset__in=self.datasets)
        if self.bbox is not None:
            qs = qs.filter(geom__intersects=Polygon.from_bbox(self.bbox))
        if self.updated_since is not None:
            qs = qs.filter(updated_at__gte=self.updated_since)
        if layer.children:
            qs = qs.prefetch_related(*layer.children)
        return qs.order_by("pk")
