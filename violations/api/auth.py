"""Sensor devices authenticate with their own key: ``Authorization: Device <device_id>:<secret>``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from violations.credentials import device_for_key
from violations.models import SensorDevice

KEYWORD = "Device"


class DeviceKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, SensorDevice] | None:
        header = get_authorization_header(request).decode("latin-1")
        keyword, _, key = header.partition(" ")
        if keyword != KEYWORD:
            return None
        device = device_for_key(key.strip())
        if device is None:
            raise AuthenticationFailed("Unknown or inactive device, or wrong key.")
        return AnonymousUser(), device

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="modugil sensors"'


class IsSensorDevice(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, SensorDevice)


class DeviceKeyScheme(OpenApiAuthenticationExtension):
    """The device key in the OpenAPI schema (drf-spectacular registers subclasses on import)."""

    target_class = DeviceKeyAuthentication
    name = "deviceKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"{KEYWORD} <device_id>:<secret>, issued per sensor device.",
        }
