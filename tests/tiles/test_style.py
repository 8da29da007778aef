"""TileJSON per layer and the MapLibre style: complete, attributed to OpenStreetMap, profile-aware."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_tilejson_describes_the_layer_and_its_tile_urls(anon) -> None:
    data = anon.get("/tiles/places.json?profile=stroller").json()
    assert data["tilejson"] == "3.0.0"
    assert data["tiles"] == ["http://testserver/tiles/places/{z}/{x}/{y}.pbf?profile=stroller"]
    assert "OpenStreetMap" in data["attribution"]
    assert data["minzoom"] <= 12 and data["maxzoom"] >= 16
    fields = data["vector_layers"][0]["fields"]
    assert data["vector_layers"][0]["id"] == "places" and "grade" in fields


def test_the_style_references_only_sources_it_defines(anon) -> None:
    style = anon.get("/tiles/style.json?profile=walker_cane").json()
    assert style["version"] == 8
    for layer in style["layers"]:
        if layer["type"] != "background":
            assert layer["source"] in style["sources"]
    sources = style["sources"]
    assert {"features", "places", "parking", "campaigns"} <= set(sources)
    assert sources["places"]["tiles"][0].endswith("?profile=walker_cane")
    assert all("OpenStreetMap" in s["attribution"] for s in sources.values())
    ids = [layer["id"] for layer in style["layers"]]
    assert ids.index("campaigns") < ids.index("places")  # areas under points


def test_the_style_refuses_unknown_parameters(anon) -> None:
    assert anon.get("/tiles/style.json?profile=jetpack").status_code == 400
    assert anon.get("/tiles/style.json?colour=red").status_code == 400
