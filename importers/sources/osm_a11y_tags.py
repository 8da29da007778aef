"""Accessibility tags the importer reads beyond ``importers.osm.tags`` (owned by the graph):
disabled parking (``capacity:disabled``, ``parking_space=disabled``) and wheelchair notes."""

from __future__ import annotations

from typing import Any

from mapping.models import LotKind

MAX_DISABLED_SPACES = 2000


def _count(value: str | None, maximum: int) -> int | None:
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if 0 <= number <= maximum else None


def capacity_disabled(tags: dict[str, str]) -> int | None:
    """``capacity:disabled``: a count, ``no`` (0) or ``yes`` (bays exist, count unknown: None)."""
    value = (tags.get("capacity:disabled") or "").strip().lower()
    if value in ("no", "none"):
        return 0
    return _count(value, MAX_DISABLED_SPACES) if value else None


def has_disabled_bays(tags: dict[str, str]) -> bool | None:
    if tags.get("parking_space") == "disabled":
        return True
    value = (tags.get("capacity:disabled") or "").strip().lower()
    if not value:
        return None
    if value == "yes":
        return True
    count = capacity_disabled(tags)
    return None if count is None else count > 0


_LOT_KIND = {
    "surface": LotKind.OFF_STREET,
    "multi-storey": LotKind.OFF_STREET,
    "underground": LotKind.OFF_STREET,
    "street_side": LotKind.ON_STREET,
    "lane": LotKind.ON_STREET,
    "on_kerb": LotKind.ON_STREET,
}


def disabled_parking_values(tags: dict[str, str]) -> dict[str, Any] | None:
    """Values for a ``DisabledParkingSpot``, or None when the element has no disabled bays.

    A single bay (``parking_space=disabled``) counts 1 unless ``capacity`` says more; a car park
    counts its ``capacity:disabled`` (unknown for ``yes``).
    """
    if not has_disabled_bays(tags):
        return None
    single = tags.get("parking_space") == "disabled"
    spaces = _count(tags.get("capacity"), 100_000)
    disabled = (spaces or 1) if single else capacity_disabled(tags)
    parking = tags.get("parking") or ""
    values: dict[str, Any] = {
        "lot_name": (tags.get("name:ko") or tags.get("name") or "")[:200],
        "lot_kind": _LOT_KIND.get(parking, ""),
        "operator": tags.get("operator", "")[:200],
        "disabled_spaces": disabled
        if disabled is None or disabled <= MAX_DISABLED_SPACES
        else None,
        "total_spaces": None if single else spaces,
    }
    return values


def wheelchair_extra(tags: dict[str, str]) -> dict[str, str]:
    """Free-text accessibility notes kept next to the measured fields."""
    extra = {}
    for key in ("wheelchair:description", "wheelchair:description:ko", "wheelchair:description:en"):
        if tags.get(key):
            extra[key.replace(":", "_")] = tags[key][:500]
    return extra
