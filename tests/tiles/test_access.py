"""Officials-only layers: 401 anonymous, 403 other roles, 200 officials (session or token)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from mapping.models import ReviewStatus
from mapping.services import soft_delete
from tests.conftest import make_feature
from tests.tiles.conftest import by_id, decode, tile_url

pytestmark = pytest.mark.django_db
REVIEW = "review-features"


def _qa_world(observer) -> dict[str, int]:
    ok = make_feature(observer=observer)
    deleted = make_feature(observer=observer, note="중복 제보")
    soft_delete(deleted)
    rejected = make_feature(status=ReviewStatus.REJECTED, note="현장 확인 결과 없음")
    disputed = make_feature(status=ReviewStatus.DISPUTED, disagree_count=2)
    return {"ok": ok.pk, "deleted": deleted.pk, "rejected": rejected.pk, "disputed": disputed.pk}


def test_anonymous_users_must_sign_in(anon) -> None:
    response = anon.get(tile_url(REVIEW))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")
    assert anon.get(f"/tiles/{REVIEW}.json").status_code == 401


@pytest.mark.parametrize("persona", ["minji", "leader"])
def test_volunteers_and_team_leaders_are_refused(persona, request, signed_in) -> None:
    user = request.getfixturevalue(persona)
    _qa_world(user)
    response = signed_in(user).get(tile_url(REVIEW))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert b"\x1a" not in response.content  # no tile bytes leak into the refusal


def test_officials_see_deleted_rejected_and_disputed_contributions(
    official, minji, signed_in
) -> None:
    ids = _qa_world(minji)
    response = signed_in(official).get(tile_url(REVIEW))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"] and "Authorization" in response["Vary"]
    features = by_id(decode(response, REVIEW))
    assert set(features) == {ids["deleted"], ids["rejected"], ids["disputed"]}
    assert features[ids["deleted"]]["properties"]["review"] == "deleted"
    assert features[ids["deleted"]]["properties"]["note"] == "중복 제보"
    assert features[ids["deleted"]]["properties"]["observer_name"] == "민지"
    assert features[ids["rejected"]]["properties"]["review"] == "rejected"
    assert features[ids["disputed"]]["properties"]["disagree_count"] == 2
    # The public layer never shows what officials review here.
    public = by_id(decode(signed_in(official).get(tile_url("features")), "features"))
    assert ids["deleted"] not in public and ids["rejected"] in public


def test_api_tokens_open_restricted_layers_for_officials(official, minji, anon) -> None:
    _qa_world(minji)
    token = Token.objects.create(user=official)
    response = anon.get(tile_url(REVIEW), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    bad = anon.get(tile_url(REVIEW), HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.status_code == 401


def test_style_and_catalogue_list_restricted_layers_only_for_officials(
    official, minji, signed_in
) -> None:
    volunteer_style = signed_in(minji).get("/tiles/style.json").json()
    official_style = signed_in(official).get("/tiles/style.json").json()
    assert REVIEW not in volunteer_style["sources"]
    assert REVIEW in official_style["sources"]
    names = [layer["name"] for layer in signed_in(minji).get("/tiles/").json()["layers"]]
    assert REVIEW not in names and "features" in names
