"""Bad tile addresses and parameters get a clear 4xx naming the field."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/tiles/features/25/0/0.pbf", "z"),
        ("/tiles/features/14/16384/0.pbf", "x"),
        ("/tiles/features/14/0/99999.pbf", "y"),
        ("/tiles/features/3/8/1.pbf", "x"),
    ],
)
def test_tiles_off_the_grid_are_400(anon, path, field) -> None:
    response = anon.get(path)
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/nowhere/14/1/1.pbf",
        "/tiles/features/-1/0/0.pbf",
        "/tiles/features/a/b/c.pbf",
        "/tiles/features/14/1/1.png",
    ],
)
def test_unknown_layers_and_malformed_addresses_are_404(anon, path) -> None:
    assert anon.get(path).status_code == 404


def test_unknown_parameters_and_profiles_are_400(anon) -> None:
    response = anon.get("/tiles/features/16/55873/25388.pbf?profile=stroller")
    assert response.status_code == 400 and "profile" in response.json()["errors"]
    bad_profile = anon.get("/tiles/places/16/55873/25388.pbf?profile=rocket")
    assert bad_profile.status_code == 400 and "profile" in bad_profile.json()["errors"]
    out_of_range = anon.get("/tiles/places/16/55873/25388.pbf?max_kerb_height_cm=300")
    assert out_of_range.status_code == 400
    assert "max_kerb_height_cm" in out_of_range.json()["errors"]


def test_below_the_layer_minzoom_the_tile_is_empty(anon) -> None:
    response = anon.get("/tiles/features/5/27/12.pbf")
    assert response.status_code == 204
    assert "max-age" in response["Cache-Control"]


def test_writes_are_not_allowed(anon) -> None:
    assert anon.post("/tiles/features/16/55873/25388.pbf").status_code == 405
