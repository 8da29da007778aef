"""Other apps add layers from their own module; versions, triggers and styles come with them."""

from __future__ import annotations

from typing import ClassVar

import pytest
from django.contrib.gis.db.models.functions import Centroid
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.db.models import QuerySet

from community.models import Team
from tests.tiles.conftest import by_id, decode, tile_url
from tiles.layer import LayerParams, MapLayer
from tiles.registry import get_layer, register, unregister
from tiles.versions import install_triggers, layer_version

pytestmark = pytest.mark.django_db


class TeamAreas(MapLayer):
    """What another app would write in its ``map_layers.py``."""

    name = "test-team-areas"
    title = "Team areas"
    geometry = "polygon"
    depends_on = (Team,)
    geom_field = "area"
    attributes: ClassVar[dict[str, str]] = {"id": "Team id", "name": "Team name"}

    def features(self, params: LayerParams) -> QuerySet:
        return Team.objects.filter(area__isnull=False)


@pytest.fixture
def team_layer():
    register(TeamAreas)
    yield get_layer(TeamAreas.name)
    unregister(TeamAreas.name)


def _area() -> MultiPolygon:
    polygon = Polygon.from_bbox((126.92, 37.52, 126.93, 37.53))
    area = MultiPolygon(polygon)
    area.srid = 4326
    return area


def test_a_registered_layer_is_served_with_tilejson_and_style(anon, team_layer) -> None:
    team = Team.objects.create(name="여의도 팀", area=_area())
    features = by_id(decode(anon.get(tile_url(team_layer.name, z=14)), team_layer.name))
    assert features[team.pk]["properties"] == {"name": "여의도 팀"}
    tilejson = anon.get(f"/tiles/{team_layer.name}.json").json()
    assert tilejson["vector_layers"][0]["fields"] == TeamAreas.attributes
    style = anon.get("/tiles/style.json").json()
    assert team_layer.name in style["sources"]
    assert any(layer.get("source") == team_layer.name for layer in style["layers"])


def test_a_layer_table_gets_the_version_trigger_and_edits_move_it(team_layer) -> None:
    assert "community_team" in install_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = 'tiles_count_changes' "
            "AND tgrelid = 'community_team'::regclass"
        )
        assert cursor.fetchone()
    before = layer_version(team_layer)
    Team.objects.create(name="새 팀")
    after = layer_version(team_layer)
    assert after != before and int(after) > int(before)


class TeamCentres(MapLayer):
    """A layer whose geometry is computed in SQL (like hexagons aggregated from points)."""

    name = "test-team-centres"
    title = "Team centres"
    geometry = "point"
    depends_on = (Team,)
    geom_field = "centre"
    attributes: ClassVar[dict[str, str]] = {"id": "Team id", "name": "Team name"}

    def features(self, params: LayerParams) -> QuerySet:
        return Team.objects.filter(area__isnull=False).annotate(centre=Centroid("area"))


def test_a_layer_may_draw_a_computed_geometry(anon) -> None:
    register(TeamCentres)
    try:
        team = Team.objects.create(name="중심", area=_area())
        (feature,) = decode(anon.get(tile_url(TeamCentres.name, z=14)), TeamCentres.name)
        assert feature["id"] == team.pk and feature["geometry"]["type"] == "Point"
    finally:
        unregister(TeamCentres.name)


def test_two_layers_cannot_share_a_name(team_layer) -> None:
    class Impostor(TeamAreas):
        pass

    with pytest.raises(ValueError, match="already registered"):
        register(Impostor)
