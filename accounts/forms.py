"""Sign-up: anyone can join as a volunteer; higher roles are given by an administrator."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User


class SignUpForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "display_name")
        labels = {"display_name": _("Name shown to others")}
        help_texts = {
            "display_name": _("Shown with your contributions and on team pages; optional."),
        }

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.role = Role.VOLUNTEER  # never from the form: team leaders and officials are appointed
        user.preferred_language = (get_language() or "ko")[:8]
        if commit:
            user.save()
        return user
