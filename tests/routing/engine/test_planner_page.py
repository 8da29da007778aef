"""The trip-planner page: Korean first, English on request, and a browser run through Playwright
(Debian's chromium): choose a preset, get a route with its warnings, switch the language."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from django.test import Client

from routing.graph.build import build_graph
from routing.graph.publish import publish_graph
from routing.graph.store import get_graph
from tests.conftest import shared_data
from tests.routing.conftest import MAPO


@pytest.mark.django_db
def test_planner_page_in_korean_and_english() -> None:
    ko = Client().get("/plan/").content.decode()
    assert 'lang="ko"' in ko and "무장애 여행 경로" in ko and "수동휠체어" in ko
    en = Client().get("/plan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in en and "Barrier-free trip planner" in en and "Manual wheelchair" in en
    assert "vendor/maplibre-gl/maplibre-gl.js" in en and "unpkg" not in en


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choose_preset_get_route_with_warnings_switch_language(
    live_server, graph_dir: Path, browser
) -> None:
    publish_graph(build_graph(shared_data(MAPO)), name="mapo")
    graph = get_graph("mapo")
    main = np.flatnonzero(graph.nodes["component"] == 0)
    a, b = int(main[0]), int(main[len(main) // 2])
    origin = f"{graph.nodes['lon'][a]:.6f},{graph.nodes['lat'][a]:.6f}"
    destination = f"{graph.nodes['lon'][b]:.6f},{graph.nodes['lat'][b]:.6f}"
    page = browser.new_page(locale="ko-KR", extra_http_headers={"Accept-Language": "ko"})
    tiles: list[tuple[str, int]] = []
    page.on("response", lambda r: tiles.append((r.url, r.status)) if "/tiles/" in r.url else None)
    page.goto(f"{live_server.url}/plan/")
    assert page.locator("h1").inner_text() == "무장애 여행 경로 찾기"
    # The network under the route is coloured for the chosen profile (vector tiles).
    page.wait_for_function("() => document.querySelector('.maplibregl-canvas')")
    page.wait_for_timeout(1500)
    network = [(url, status) for url, status in tiles if "/tiles/network/" in url]
    assert any(s == 200 and "profile=manual_wheelchair" in u for u, s in network), tiles
    tiles.clear()
    page.select_option("#preset", "walker_cane")
    assert page.input_value("#p-max_kerb_height_cm") == "15"
    page.wait_for_timeout(1500)
    assert any("/tiles/network/" in u and "profile=walker_cane" in u for u, _s in tiles), tiles
    page.fill("#origin", origin)
    page.fill("#destination", destination)
    page.click("#find-route")
    page.wait_for_selector("#route-warnings li", timeout=20_000)
    assert page.locator(".summary").inner_text()
    assert page.locator("#route-warnings li").count() >= 1
    page.select_option("#language-select", "en")
    page.wait_for_selector("text=Barrier-free trip planner", timeout=10_000)
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()
