"""Database constraints hold even for writes that bypass the API (admin, SQL, importers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mapping.models import AccessibilityFeature, DisabledParkingSpot
from tests.conftest import make_feature, make_parking, make_place

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kerb_height_cm", 300.0),  # a 3 m kerb
        ("kerb_height_cm", -1.0),
        ("step_count", 0),
        ("step_height_cm", 80.0),
        ("incline_pct", 95.0),
        ("width_m", 0.0),
        ("confidence", 1.5),
    ],
)
def test_absurd_measurements_are_refused_by_the_database(field: str, value: float) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_feature(**{field: value})
    assert AccessibilityFeature.all_objects.count() == 0


def test_a_temporary_obstacle_needs_an_expiry_and_only_it_may_expire() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_feature(feature_type="obstacle", is_temporary=True, expires_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_feature(feature_type="obstacle", is_temporary=False, expires_at=timezone.now())
    ok = make_feature(
        feature_type="obstacle", is_temporary=True, expires_at=timezone.now() + timedelta(days=3)
    )
    assert ok.pk


def test_disabled_spaces_cannot_exceed_all_spaces() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_parking(disabled_spaces=10, total_spaces=5)
    assert DisabledParkingSpot.all_objects.count() == 0


def test_a_source_id_is_unique_within_its_dataset_only() -> None:
    make_parking(source_dataset="cheonan_parking", source_ref="lot-1")
    make_parking(source_dataset="other", source_ref="lot-1")
    make_parking(source_dataset="cheonan_parking", source_ref="")
    make_parking(source_dataset="cheonan_parking", source_ref="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_parking(source_dataset="cheonan_parking", source_ref="lot-1")


def test_entrance_door_width_is_plausible() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_place(entrances=[{"door_width_cm": 5}])


def test_new_observations_get_a_prior_confidence_and_a_resurvey_date() -> None:
    feature = make_feature(feature_type="elevator", source="sensor")
    assert feature.confidence == 0.8
    assert feature.resurvey_due_at == feature.observed_at + timedelta(days=180)
    kerb = make_feature()
    assert kerb.confidence == 0.6
    assert kerb.resurvey_due_at == kerb.observed_at + timedelta(days=8 * 365)


def test_soft_deleted_rows_are_hidden_by_default_but_kept() -> None:
    feature = make_feature()
    feature.deleted_at = timezone.now()
    feature.save()
    assert not AccessibilityFeature.objects.filter(pk=feature.pk).exists()
    assert AccessibilityFeature.all_objects.filter(pk=feature.pk).exists()
