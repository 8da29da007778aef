"""Users and their service-wide role (volunteer, team leader, official, admin)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    TEAM_LEADER = "team_leader", _("Team leader")
    OFFICIAL = "official", _("Official (reviewer)")
    ADMIN = "admin", _("Administrator")


# Higher rank includes the powers of the lower ones.
ROLE_RANK = {Role.VOLUNTEER: 0, Role.TEAM_LEADER: 1, Role.OFFICIAL: 2, Role.ADMIN: 3}


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VOLUNTEER)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    preferred_language = models.CharField(max_length=8, default="ko")

    def has_role(self, role: Role | str) -> bool:
        """True when the user's role is ``role`` or above (admin > official > team leader)."""
        if self.is_superuser:
            return True
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]

    @property
    def is_official(self) -> bool:
        return self.has_role(Role.OFFICIAL)

    @property
    def public_name(self) -> str:
        return self.display_name or self.username
