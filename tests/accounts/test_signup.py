"""Sign-up makes a volunteer (never a higher role), signs in and returns to the app."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role, User

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "seoyeon",
    "display_name": "서연",
    "password1": "a-long-walk-2026",
    "password2": "a-long-walk-2026",
}


def test_sign_up_creates_a_volunteer_and_signs_in() -> None:
    client = Client()
    r = client.post("/accounts/signup/", {**GOOD, "next": "/app/validate/"})
    assert r.status_code == 302 and r["Location"] == "/app/validate/"
    user = User.objects.get(username="seoyeon")
    assert user.role == Role.VOLUNTEER and user.public_name == "서연"
    assert client.get("/app/me/").status_code == 200


def test_a_role_in_the_form_is_ignored() -> None:
    Client().post("/accounts/signup/", {**GOOD, "role": "official", "is_staff": "on"})
    user = User.objects.get(username="seoyeon")
    assert user.role == Role.VOLUNTEER and not user.is_staff


def test_an_unsafe_next_goes_to_the_app_instead() -> None:
    r = Client().post("/accounts/signup/", {**GOOD, "next": "https://evil.example/"})
    assert r["Location"] == "/app/"


def test_bad_input_names_the_field_and_creates_nothing(minji) -> None:
    r = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/accounts/signup/", {**GOOD, "username": "minji", "password2": "different"}
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'aria-invalid="true"' in html and "already exists" in html
    assert not User.objects.filter(display_name="서연").exists()


def test_sign_up_page_is_korean_and_linked_from_login() -> None:
    html = Client().get("/accounts/signup/?next=/app/").content.decode()
    assert "가입" in html and 'value="/app/"' in html
    assert "/accounts/signup/" in Client().get("/accounts/login/?next=/app/").content.decode()
