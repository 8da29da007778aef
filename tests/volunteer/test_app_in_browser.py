"""End to end on a phone: Debian's chromium (390x844, Korean) against live_server on real PostGIS.

Log in, answer quests, add a kerb with a photo, go offline and add another feature, come back
online (with the first answer lost on the way) and find both on the server exactly once;
validate and review contributions; watch a campaign's progress change; axe-core on every screen.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.db.models import F
from PIL import Image

from community.models import Campaign, Membership, Team, TeamRole
from mapping.models import AccessibilityFeature, EditConflict, Photo, Vote
from tests.conftest import YEOUIDO, make_feature
from tests.volunteer.conftest import PHONE, log_in
from tests.volunteer.test_pages import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GPS_TAG, MAKE_TAG = 0x8825, 0x010F


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def near(d_lon: float = 0.0, d_lat: float = 0.0) -> Point:
    return Point(YEOUIDO[0] + d_lon, YEOUIDO[1] + d_lat, srid=4326)


def camera_photo(folder: Path, name: str) -> Path:
    """A 3000x2000 'camera' JPEG with a maker and GPS position in its EXIF."""
    image = Image.new("RGB", (3000, 2000), (120, 140, 160))
    exif = Image.Exif()
    exif[MAKE_TAG] = "PhoneCam"
    exif[GPS_TAG] = {1: "N", 2: (37.0, 31.0, 35.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=80)
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


def wait_until(page: Any, check: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Poll the database while letting Playwright process browser events in this thread."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        page.wait_for_timeout(200)


def photos_of(obj: Any) -> list[Photo]:
    return list(
        Photo.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    )


def test_log_in_and_answer_quests_with_one_tap(phone, minji, shot) -> None:
    steps = make_feature(feature_type="steps", kerb="", kerb_height_cm=None, geom=near(0.0002))
    crossing = make_feature(
        feature_type="crossing", kerb="", kerb_height_cm=None, geom=near(0.0004)
    )
    contested = make_feature(
        feature_type="steps", kerb="", kerb_height_cm=None, step_count=3, geom=near(0.0006)
    )
    page = phone.new_page()
    requests: list[tuple[str, int]] = []
    page.on("response", lambda r: requests.append((r.url, r.status)))
    log_in(page, "minji")
    card = page.locator(f"#quest-steps_count-feature-{steps.pk}")
    expect(card).to_be_visible()
    # The map draws features, places, parking and campaigns from vector tiles, not bbox GeoJSON.
    wait_until(page, lambda: any("/tiles/features/" in u and s == 200 for u, s in requests))
    assert any("/tiles/campaigns/" in u for u, _s in requests)
    assert not any("/api/mapping/features/?" in u and "bbox=" in u for u, _s in requests)
    shot(page, "quests-map")
    card.scroll_into_view_if_needed()
    shot(page, "quests-list", doc=True)

    card.get_by_role("button", name="3", exact=True).click()
    expect(card).to_have_count(0)
    expect(page.locator("#status")).to_contain_text("저장했습니다")
    steps.refresh_from_db()
    assert (steps.step_count, steps.version) == (3, 2)

    page.locator(f"#quest-crossing_kerb-feature-{crossing.pk}").get_by_role(
        "button", name=re.compile("^낮춤")
    ).click()
    expect(page.locator(f"#quest-crossing_kerb-feature-{crossing.pk}")).to_have_count(0)
    crossing.refresh_from_db()
    assert crossing.kerb == "lowered"

    # Someone else answers the ramp question first: ours is refused and shown, not applied.
    AccessibilityFeature.objects.filter(pk=contested.pk).update(
        ramp_wheelchair="yes", version=F("version") + 1
    )
    page.locator(f"#quest-steps_ramp-feature-{contested.pk}").get_by_role(
        "button", name="경사로 없음"
    ).click()
    dialog = page.locator("#conflict-dialog")
    expect(dialog).to_be_visible()
    # their value and ours, with the field's label and the choices as people read them
    row = dialog.locator("tbody tr")
    expect(row.locator("th")).to_have_text("계단 옆 경사로")
    expect(row.locator("td")).to_have_text(["옆에 경사로", "경사로 없음"])
    shot(page, "conflict", doc=True)
    contested.refresh_from_db()
    assert contested.ramp_wheelchair == "yes"
    assert EditConflict.objects.get(object_id=contested.pk).attempted == {"ramp_wheelchair": "no"}
    dialog.get_by_role("button", name="상대 것 유지").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#outbox-link")).to_be_hidden()

    # The answered steps, opened from the map or a list: what we know, then a versioned edit.
    page.goto(f"/app/edit/feature/{steps.pk}/")
    count = page.locator("fieldset[data-form=steps]").get_by_label("계단 수")
    expect(count).to_have_value("3")
    count.fill("5")
    page.get_by_role("button", name="변경 저장").click()
    expect(page.locator("#capture-result")).to_contain_text("고맙습니다")
    steps.refresh_from_db()
    assert (steps.step_count, steps.version) == (5, 3)


# The phone's request reaches the server, which stores the feature, but the answer never comes
# back (as on a flaky connection): the app sees a network error and keeps the edit queued.
LOSE_FIRST_ANSWER = """() => {
  const realFetch = window.fetch.bind(window);
  window.featurePosts = [];
  window.fetch = async function (url, options) {
    const response = await realFetch(url, options);
    if (options && options.method === "POST" && String(url).endsWith("/api/mapping/features/")) {
      window.featurePosts.push(response.status);
      if (window.featurePosts.length === 1) throw new TypeError("connection lost");
    }
    return response;
  };
}"""


def test_kerb_with_photo_then_offline_feature_both_reach_the_server_once(
    phone, minji, shot, tmp_path
) -> None:
    page = phone.new_page()
    log_in(page, "minji", "/app/add/")
    page.wait_for_function("caches.match('/app/add/').then(Boolean)")  # kept for offline use
    expect(page.locator("#location-text")).to_contain_text("위도")  # GPS placed the pin

    kerb_form = page.locator("fieldset[data-form=kerb]")
    kerb_form.get_by_label("높음").check()
    kerb_form.get_by_label("턱 높이(cm)").fill("8")
    page.set_input_files("#photo-input", str(camera_photo(tmp_path, "kerb.jpg")))
    expect(page.locator("#photo-previews img")).to_have_count(1)
    shot(page, "add-kerb", doc=True)
    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator("#capture-result")).to_contain_text("고맙습니다")

    kerb = AccessibilityFeature.objects.get(feature_type="kerb")
    assert (kerb.kerb, kerb.kerb_height_cm, kerb.observer) == ("raised", 8, minji)
    [kerb_photo] = photos_of(kerb)
    assert max(kerb_photo.width_px, kerb_photo.height_px) <= 1600  # resized on the phone
    stored = Image.open(kerb_photo.image.path).getexif()
    assert GPS_TAG not in stored and MAKE_TAG not in stored

    # Offline: the app shell comes from the service worker, the new feature waits in IndexedDB.
    phone.set_offline(True)
    reloaded = page.reload()
    assert reloaded is not None and reloaded.from_service_worker
    expect(page.locator("#net-state")).to_be_visible()
    page.locator("input[name=form-type][value=steps]").check()
    steps_form = page.locator("fieldset[data-form=steps]")
    steps_form.get_by_label("계단 수").fill("4")
    page.set_input_files("#photo-input", str(camera_photo(tmp_path, "steps.jpg")))
    expect(page.locator("#photo-previews img")).to_have_count(1)
    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator("#capture-result")).to_contain_text("이 휴대폰에 저장")
    expect(page.locator("#outbox-count")).to_have_text("2")  # the feature and its photo
    shot(page, "offline-saved", doc=True)
    assert not AccessibilityFeature.objects.filter(feature_type="steps").exists()

    # Back online, but the server's answer to the first attempt is lost on the way back.
    page.evaluate(LOSE_FIRST_ANSWER)
    phone.set_offline(False)
    wait_until(page, lambda: AccessibilityFeature.objects.filter(feature_type="steps").exists())
    expect(page.locator("#outbox-link")).to_be_hidden(timeout=20_000)  # retried and sent
    assert page.evaluate("window.featurePosts") == [201, 200]
    page.goto("/app/outbox/")
    expect(page.locator("#outbox-empty")).to_be_visible()

    # The replay carried the same client_id: the server answered with the first result (200).
    [steps] = AccessibilityFeature.objects.filter(feature_type="steps")
    assert steps.step_count == 4 and steps.client_id is not None
    assert AccessibilityFeature.objects.filter(feature_type="kerb").count() == 1
    assert len(photos_of(steps)) == 1 and len(photos_of(kerb)) == 1


def test_validate_others_work_and_an_official_reviews_it(
    phone, browser, live_server, minji, junho, official, shot
) -> None:
    right = make_feature(observer=minji, kerb="lowered", kerb_height_cm=2)
    wrong = make_feature(observer=minji, kerb="raised", kerb_height_cm=6, geom=near(0.0003))
    page = phone.new_page()
    log_in(page, "junho", "/app/validate/")
    card = page.locator(f"#item-feature-{right.pk}")
    card.get_by_role("button", name="동의: 맞아요").click()
    expect(card.locator(".card-result")).to_contain_text("신뢰도 73%")
    right.refresh_from_db()
    assert (right.agree_count, round(right.confidence, 2)) == (1, 0.73)

    other = page.locator(f"#item-feature-{wrong.pk}")
    other.get_by_text("측정값 고치기").click()
    other.get_by_label("턱 높이(cm)").fill("9")
    shot(page, "validate", doc=True)
    other.get_by_role("button", name="수정값 보내기").click()
    expect(other.locator(".card-result")).to_contain_text("반대 1")
    vote = Vote.objects.get(object_id=wrong.pk, user=junho)
    assert (vote.value, vote.corrected) == ("disagree", {"kerb_height_cm": 9})

    desk = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="ko-KR")
    review = desk.new_page()
    log_in(review, "park", "/app/review/")
    item = review.locator(f"#item-feature-{wrong.pk}")
    expect(item).to_contain_text("준호")
    item.get_by_label("사유").fill("현장 사진 확인")
    item.get_by_role("button", name="반려").click()
    expect(item.locator(".card-result")).to_contain_text("rejected")
    shot(review, "review")
    desk.close()
    wrong.refresh_from_db()
    assert wrong.status == "rejected" and "현장 사진 확인" in wrong.note


def test_a_leader_starts_a_campaign_and_watches_its_progress_change(
    phone, leader, minji, shot, settings
) -> None:
    settings.VOLUNTEER_PROGRESS_POLL_S = 1
    team = Team.objects.create(name="여의도 무장애 스스로해결단", region_name="영등포구")
    Membership.objects.create(team=team, user=leader, role=TeamRole.LEADER)
    page = phone.new_page()
    log_in(page, "sooyoung", f"/app/teams/{team.pk}/")
    page.get_by_role("link", name="캠페인 시작하기").click()
    page.get_by_label("이름").fill("여의도 턱 조사")
    page.get_by_label("목표: 기록 건수").fill("5")
    expect(page.locator("#area-text")).to_contain_text("구역")
    page.get_by_role("button", name="캠페인 시작", exact=True).click()
    page.wait_for_url("**/app/campaigns/*/")
    progress = page.locator("#progress-text")
    expect(progress).to_contain_text("5건 중 0건")
    campaign = Campaign.objects.get()
    assert campaign.created_by == leader and campaign.team == team
    assert set(campaign.target_types) == {"kerb", "crossing", "curb_ramp"}

    make_feature(observer=minji)  # a volunteer maps a kerb inside the area
    expect(progress).to_contain_text("5건 중 1건")
    expect(page.locator("[data-type=kerb] .count")).to_have_text("1")
    shot(page, "campaign", doc=True)


AXE = """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})))"""


# Controls people tap: buttons, fields, tabs, radio and checkbox labels, map controls.
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
  "button, select, summary, nav a, .chip, .outbox-link, .button, " +
  "input:not([type=hidden]):not([type=radio]):not([type=checkbox]), " +
  "label:has(> input[type=radio]), label:has(> input[type=checkbox])"))
  .filter(el => el.getClientRects().length > 0)
  .map(el => { const r = el.getBoundingClientRect();
    return {el: el.outerHTML.slice(0, 80), w: Math.round(r.width), h: Math.round(r.height)}; })
  .filter(t => t.w < 44 || t.h < 44)"""


def test_main_screens_have_no_serious_or_critical_axe_violations(
    phone, official, minji, shot
) -> None:
    team = Team.objects.create(name="팀")
    Membership.objects.create(team=team, user=official, role=TeamRole.LEADER)
    campaign = make_campaign(team)
    feature = make_feature(observer=minji, feature_type="steps", step_count=None)
    make_feature(observer=minji, geom=near(0.0002))
    screens = [
        "/app/",
        "/app/add/",
        f"/app/edit/feature/{feature.pk}/",
        "/app/validate/",
        "/app/teams/",
        f"/app/teams/{team.pk}/",
        f"/app/campaigns/{campaign.pk}/",
        "/app/campaigns/new/",
        "/app/me/",
        "/app/review/",
        "/app/outbox/",
        "/accounts/signup/",
        "/accounts/login/",
    ]
    page = phone.new_page()
    log_in(page, "park")
    found = {}
    for url in screens:
        page.goto(url, wait_until="networkidle")  # lists and maps drawn by the scripts
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
        violations = page.evaluate(AXE)
        small = page.evaluate(SMALL_TARGETS) if url.startswith("/app/") else []
        if violations or small:
            found[url] = {"axe": violations, "targets under 44 px": small}
    shot(page, "login")
    assert not found, found
    # keyboard: the first Tab reaches "skip to content", which moves focus to the main content
    page.goto("/app/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
