"""The service's pages: home map in Korean and English, API docs, schema, admin for officials."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_is_korean_by_default_and_english_on_request() -> None:
    client = Client()
    ko = client.get("/")
    assert ko.status_code == 200
    html = ko.content.decode()
    assert 'lang="ko"' in html and "OpenStreetMap" in html and "지도" in html
    en = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in en and "Barriers made visible" in en


def test_openapi_schema_and_docs_are_served_locally() -> None:
    client = Client()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/mapping/features/",
        "/api/mapping/places/",
        "/api/mapping/parking-spots/",
        "/api/mapping/features/{id}/history/",
        "/api/mapping/features/{id}/votes/",
    ):
        assert path in paths, path
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn." not in docs and "unpkg" not in docs


def test_admin_is_for_staff(official) -> None:
    client = Client()
    assert client.get("/admin/mapping/accessibilityfeature/").status_code == 302
    official.is_staff = True
    official.is_superuser = True
    official.save()
    client.force_login(official)
    assert client.get("/admin/mapping/accessibilityfeature/").status_code == 200
    assert client.get("/admin/mapping/place/add/").status_code == 200


def test_api_token_login_works(minji) -> None:
    client = Client()
    r = client.post("/api/auth/token/", {"username": "minji", "password": "pw-minji"})
    assert r.status_code == 200 and r.json()["token"]
