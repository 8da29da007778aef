"""Role checks for DRF views, enforced on every endpoint."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.models import Role


def has_role(user: Any, role: Role | str) -> bool:
    return bool(user and user.is_authenticated and user.has_role(role))


class RoleRequired(BasePermission):
    """Base: subclasses set ``role``; safe methods follow ``read_role`` (None = anyone)."""

    role: Role = Role.VOLUNTEER
    read_role: Role | None = None

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return self.read_role is None or has_role(request.user, self.read_role)
        return has_role(request.user, self.role)


class VolunteerWrite(RoleRequired):
    """Anyone reads; any signed-in mapper writes."""


class TeamLeaderWrite(RoleRequired):
    role = Role.TEAM_LEADER


class OfficialOnly(RoleRequired):
    role = Role.OFFICIAL
    read_role = Role.OFFICIAL


class OwnerOrRole(BasePermission):
    """Object-level: deleting or reviewing is for the contributor or team leaders and above."""

    role: Role = Role.TEAM_LEADER

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            owner = getattr(obj, "observer_id", None)
            return has_role(request.user, self.role) or owner == request.user.id
        return True
