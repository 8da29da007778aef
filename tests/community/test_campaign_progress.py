"""A campaign's progress counts the volunteers' work inside its area and dates, nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone

from community.models import Campaign, Team
from tests.conftest import make_feature, make_parking, make_place

pytestmark = pytest.mark.django_db


def test_progress_counts_survey_contributions_in_area_and_window(minji) -> None:
    team = Team.objects.create(name="여의도 팀")
    area = Polygon.from_bbox((126.92, 37.52, 126.93, 37.53))
    area.srid = 4326
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        team=team,
        name="턱 조사",
        area=area,
        target_types=["kerb", "place"],
        target_count=4,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
    )
    make_feature(observer=minji)  # counts
    make_feature(observer=minji, feature_type="steps")  # not a target type
    make_feature(observer=minji, geom=Point(127.0, 37.5, srid=4326))  # outside the area
    make_feature(source="osm")  # an import, not the team's work
    make_place(observer=minji)  # counts
    make_parking()  # parking is not a target here
    progress = campaign.progress()
    assert progress["by_type"] == {"kerb": 1, "place": 1}
    assert (progress["done"], progress["target"], progress["percent"]) == (2, 4, 50.0)
