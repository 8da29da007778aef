"""One error vocabulary for the whole service and the one table that maps it to HTTP status.

Apps raise subclasses of the categories below (``class StaleVersion(Conflict)``); views never pick
status codes themselves. API errors share one JSON shape::

    {"detail": "human message", "code": "machine_code", "errors": {"field": ["message", ...]}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ModugilError(Exception):
    """Base of every domain error. ``fields`` names the offending input fields."""

    code = "error"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra


class InvalidInput(ModugilError):
    code = "invalid"


class NotAuthenticated(ModugilError):
    code = "not_authenticated"


class NotFound(ModugilError):
    code = "not_found"


class Forbidden(ModugilError):
    code = "forbidden"


class Conflict(ModugilError):
    code = "conflict"


class PreconditionFailed(ModugilError):
    code = "precondition_failed"


class PreconditionRequired(ModugilError):
    code = "precondition_required"


class PayloadTooLarge(ModugilError):
    code = "payload_too_large"


class UnsupportedMedia(ModugilError):
    code = "unsupported_media_type"


class Unprocessable(ModugilError):
    code = "unprocessable"


class ServiceUnavailable(ModugilError):
    code = "unavailable"


STATUS_BY_ERROR: dict[type[ModugilError], int] = {
    InvalidInput: 400,
    NotAuthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PreconditionFailed: 412,
    PayloadTooLarge: 413,
    UnsupportedMedia: 415,
    Unprocessable: 422,
    PreconditionRequired: 428,
    ServiceUnavailable: 503,
}


def status_for(error: ModugilError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]  # type: ignore[index]
    return 500


def error_body(
    message: str, code: str, fields: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": message, "code": code}
    if fields:
        body["errors"] = fields
    body.update(extra)
    return body


def _flatten_detail(detail: Any) -> dict[str, Any]:
    """DRF's nested ErrorDetail structure -> plain JSON with field names kept."""
    if isinstance(detail, dict):
        return {str(k): _plain(v) for k, v in detail.items()}
    return {"non_field_errors": _plain(detail)}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: every API error leaves in the one shape above."""
    if isinstance(exc, ModugilError):
        status = status_for(exc)
        return Response(error_body(exc.message, exc.code, exc.fields, **exc.extra), status=status)
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(error_body("Invalid input.", "invalid", fields), status=400)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf.ValidationError):
        response.data = error_body("Invalid input.", "invalid", _flatten_detail(exc.detail))
    elif isinstance(exc, drf.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(str(exc.detail), code)
    return response
