"""Typed readers for environment variables that fail loudly on bad values."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str = "") -> str:
    """Return a string setting; ``NAME_FILE`` (a Docker secret path) wins over ``NAME``."""
    file_path = os.getenv(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.getenv(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    if value not in ("True", "False", "1", "0", "true", "false"):
        msg = f"Unexpected value {name}={value!r}: use True or False"
        raise ImproperlyConfigured(msg)
    return value in ("True", "1", "true")


def envint(name: str, default: int) -> int:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as e:
        msg = f"Unexpected value {name}={value!r}: an integer is required"
        raise ImproperlyConfigured(msg) from e


def envfloats(name: str, default: tuple[float, ...], count: int) -> tuple[float, ...]:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    try:
        numbers = tuple(float(part) for part in value.split(","))
    except ValueError as e:
        msg = f"Unexpected value {name}={value!r}: {count} comma-separated numbers are required"
        raise ImproperlyConfigured(msg) from e
    if len(numbers) != count:
        msg = f"Unexpected value {name}={value!r}: {count} comma-separated numbers are required"
        raise ImproperlyConfigured(msg)
    return numbers
