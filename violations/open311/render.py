"""Open311 GeoReport v2 output: JSON or XML, with the spec's own error format.

Statuses still come from ``modugil.errors`` (the one table); only the body shape is Open311's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpRequest, HttpResponse, JsonResponse

from modugil.errors import ModugilError, NotFound, status_for

FORMATS = ("json", "xml")


def _xml_value(parent: ET.Element, key: str, value: Any) -> None:
    if isinstance(value, list):
        holder = ET.SubElement(parent, key)
        item_tag = {"attributes": "attribute", "values": "value", "keywords": "keyword"}.get(
            key, "item"
        )
        for item in value:
            _xml_item(holder, item_tag, item)
        return
    child = ET.SubElement(parent, key)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(child, k, v)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif isinstance(value, datetime):
        child.text = value.isoformat()
    elif value is not None:
        child.text = str(value)


def _xml_item(parent: ET.Element, tag: str, item: Any) -> None:
    if isinstance(item, dict):
        element = ET.SubElement(parent, tag)
        for k, v in item.items():
            _xml_value(element, k, v)
    else:
        ET.SubElement(parent, tag).text = str(item)


def respond(data: Any, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    """``data`` is a list of dicts (or one dict for discovery) rendered as JSON or XML."""
    if fmt == "json":
        return JsonResponse(
            data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
        )
    element = ET.Element(root)
    if isinstance(data, dict):
        for k, v in data.items():
            _xml_value(element, k, v)
    else:
        for entry in data:
            _xml_item(element, item, entry)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(exc: ModugilError, fmt: str) -> HttpResponse:
    status = status_for(exc)
    details = [f"{k}: {'; '.join(v)}" for k, v in exc.fields.items()] or [exc.message]
    errors = [{"code": status, "description": d} for d in details]
    return respond(errors, fmt if fmt in FORMATS else "json", "errors", "error", status)


def open311_view(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Check the format suffix and turn domain errors into Open311 error bodies."""

    @wraps(func)
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            if fmt not in FORMATS:
                raise NotFound(
                    f"Unknown format .{fmt}: use .json or .xml.", fields={"format": [fmt]}
                )
            return func(request, *args, fmt=fmt, **kwargs)
        except ModugilError as e:
            return error(e, fmt)

    return wrapper
