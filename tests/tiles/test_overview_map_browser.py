"""The overview page draws modugil's vector tiles in Debian's chromium (MapLibre from npm)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import YEOUIDO, make_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    yield page
    page.close()


@pytest.fixture
def stepped_place(transactional_db):
    # Created before the browser starts: Playwright's event loop makes the ORM refuse to run.
    return make_place(entrances=[{"has_steps": True, "step_count": 3, "step_height_cm": 15}])


def test_home_map_loads_vector_tiles_and_recolours_for_a_profile(
    stepped_place, live_server, page
) -> None:
    assert (Path(settings.VENDOR_DIR) / "maplibre-gl" / "maplibre-gl.js").exists()
    tile_responses: list[tuple[str, int]] = []
    page.on(
        "response",
        lambda r: tile_responses.append((r.url, r.status)) if "/tiles/" in r.url else None,
    )
    page.goto(f"{live_server.url}/")
    page.wait_for_function(
        "document.getElementById('map').dataset.ready === 'idle'", timeout=30_000
    )
    places = [(url, status) for url, status in tile_responses if "/tiles/places/" in url]
    assert any(status == 200 for _, status in places), tile_responses
    assert any(url.endswith("style.json?profile=manual_wheelchair") for url, _ in tile_responses)
    assert "OpenStreetMap" in page.inner_text(".maplibregl-ctrl-attrib")
    tile_responses.clear()
    page.select_option("#profile-select", "walker_cane")
    page.wait_for_timeout(300)
    page.wait_for_function(
        "document.getElementById('map').dataset.ready === 'idle'", timeout=30_000
    )
    assert any("profile=walker_cane" in url for url, _ in tile_responses), tile_responses
    assert YEOUIDO  # the map's first view (settings.TILES_MAP_CENTER) shows the demo point
    # Layers can be switched on and off; the data-gap layer starts off, and stays as chosen.
    assert page.is_checked("#layer-places") and not page.is_checked("#layer-network-quality")
    assert not page.is_visible("#layer-violations")  # officials only: not even offered
    page.check("#layer-network-quality")
    stroller = lambda r: "/tiles/network/" in r.url and "profile=stroller" in r.url  # noqa: E731
    with page.expect_response(stroller, timeout=30_000):
        page.select_option("#profile-select", "stroller")
    page.wait_for_function("document.getElementById('layer-network-quality').checked")
    for _ in range(
        100
    ):  # the chosen data-gap layer is drawn (its tiles asked for) in the new style
        if any("/tiles/network-quality/" in url for url, _ in tile_responses):
            break
        page.wait_for_timeout(200)
    assert any("/tiles/network-quality/" in url for url, _ in tile_responses), tile_responses
