"""The app's screens: Korean first, English on request, roles respected, everything served locally."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Polygon
from django.test import Client
from django.utils import timezone

from community.models import Campaign, Membership, Team, TeamRole
from tests.conftest import YEOUIDO, make_feature

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/app/", "/app/teams/", "/app/outbox/", "/app/offline/"]
SIGNED_IN_PAGES = ["/app/add/", "/app/validate/", "/app/me/", "/app/add/?type=place"]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_campaign(team: Team, **overrides) -> Campaign:
    area = Polygon.from_bbox(
        (YEOUIDO[0] - 0.01, YEOUIDO[1] - 0.01, YEOUIDO[0] + 0.01, YEOUIDO[1] + 0.01)
    )
    area.srid = 4326
    today = timezone.localdate()
    values = {
        "team": team,
        "name": "여의도 턱 조사",
        "area": area,
        "target_types": ["kerb", "crossing"],
        "target_count": 10,
        "starts_on": today - timedelta(days=1),
        "ends_on": today + timedelta(days=30),
    }
    values.update(overrides)
    return Campaign.objects.create(**values)


def test_app_is_korean_by_default_and_english_on_request() -> None:
    ko = Client().get("/app/").content.decode()
    assert '<html lang="ko">' in ko and "내 주변 퀘스트" in ko
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get("/app/").content.decode()
    assert '<html lang="en">' in en and "Quests near me" in en


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_screens_render_with_only_local_assets(url) -> None:
    r = Client().get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'rel="manifest"' in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert all("openstreetmap.org/copyright" in u for u in external), external


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_screens_need_a_login(url, minji) -> None:
    r = Client().get(url)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next=")
    assert logged_in(minji).get(url).status_code == 200


def test_add_screen_has_a_form_per_type_with_units_and_labels(minji) -> None:
    html = logged_in(minji).get("/app/add/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for key in ("kerb", "steps", "crossing", "obstacle", "parking", "place"):
        assert f'data-form="{key}"' in html
    assert 'id="kerb-kerb_height_cm"' in html and 'max="50"' in html
    assert '<label for="kerb-kerb_height_cm">kerb height (cm)</label>' in html
    assert 'id="steps-step_count-unit">steps<' in html
    assert 'capture="environment"' in html
    # only the chosen form is active; the others are hidden and disabled (not validated, not read)
    assert re.search(r'data-form="steps"[^>]*hidden disabled', html)


def test_edit_screen_shows_what_is_known_and_when_it_was_checked(minji) -> None:
    feature = make_feature(kerb="raised", kerb_height_cm=8)
    html = logged_in(minji).get(f"/app/edit/feature/{feature.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = html.content.decode()
    assert "8 cm" in text and "Raised" in text and "Last checked" in text
    assert f"/api/mapping/features/{feature.pk}/" in text
    assert logged_in(minji).get("/app/edit/dragon/1/").status_code == 404
    assert logged_in(minji).get("/app/edit/feature/999999/").status_code == 404


def test_review_queue_screen_is_for_officials(minji, official) -> None:
    assert logged_in(minji).get("/app/review/").status_code == 403
    assert logged_in(official).get("/app/review/").status_code == 200


def test_only_team_leaders_get_the_campaign_form_and_only_for_their_teams(minji, leader) -> None:
    mine = Team.objects.create(name="우리 팀")
    Team.objects.create(name="다른 팀")
    Membership.objects.create(team=mine, user=leader, role=TeamRole.LEADER)
    assert logged_in(minji).get("/app/campaigns/new/").status_code == 403
    html = logged_in(leader).get("/app/campaigns/new/").content.decode()
    assert "우리 팀" in html and "다른 팀" not in html
    team_page = logged_in(leader).get(f"/app/teams/{mine.pk}/").content.decode()
    assert "/app/campaigns/new/?team=" in team_page
    assert (
        "/app/campaigns/new/" not in logged_in(minji).get(f"/app/teams/{mine.pk}/").content.decode()
    )


def test_campaign_screen_shows_targets_and_progress(minji) -> None:
    team = Team.objects.create(name="팀")
    campaign = make_campaign(team)
    make_feature(observer=minji)
    make_feature(feature_type="crossing", observer=minji)
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/app/campaigns/{campaign.pk}/").content.decode()
    assert '<progress id="progress-bar" value="2" max="10"' in html
    assert "2 of 10 (20.0%)" in html
    assert re.search(r'data-type="kerb">Kerb: <span class="count">1</span>', html)


def test_manifest_makes_the_app_installable() -> None:
    r = Client().get("/app/manifest.webmanifest")
    assert r.status_code == 200 and r["Content-Type"] == "application/manifest+json"
    manifest = r.json()
    assert manifest["start_url"] == "/app/" and manifest["scope"] == "/app/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/")


def test_service_worker_is_scoped_to_the_app_and_precaches_the_shell() -> None:
    r = Client().get("/app/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/javascript")
    assert r["Service-Worker-Allowed"] == "/app/"
    assert "no-cache" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]
    body = r.content.decode()
    for path in (
        "/app/offline/",
        "/static/volunteer/js/queue.js",
        "/static/vendor/maplibre-gl/maplibre-gl.js",
    ):
        assert path in body
    assert 'importScripts("/static/volunteer/js/queue.js")' in body
    assert "http://" not in body and "https://" not in body


def test_service_worker_keeps_basemap_tiles_of_the_configured_server_only(settings) -> None:
    settings.BASEMAP_URL = "https://tiles.example.kr/osm/{z}/{x}/{y}.png"
    body = Client().get("/app/sw.js").content.decode()
    assert 'const BASEMAP_ORIGIN = "https://tiles.example.kr";' in body
    settings.BASEMAP_URL = ""
    assert 'const BASEMAP_ORIGIN = "";' in Client().get("/app/sw.js").content.decode()


def test_translated_strings_reach_the_scripts() -> None:
    html = Client().get("/app/").content.decode()
    raw = re.search(r'<script id="modugil-strings" type="application/json">(.+?)</script>', html)
    assert raw is not None
    strings = json.loads(raw.group(1))
    assert strings["saved_offline"].startswith("이 휴대폰에 저장했습니다")
    assert strings["status_validated"] and "%%" not in strings["status_line"]
