"""Licence plates and reporters' contacts: keyed hashes for matching, Fernet tokens for officials.

The hash (HMAC-SHA256 with ``VIOLATIONS_PLATE_HASH_KEY``) lets duplicate detection and plate
search match the same car without storing the plate; the Fernet token (first key of
``VIOLATIONS_PLATE_ENCRYPTION_KEYS`` encrypts, any key decrypts) is what officials read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from modugil.errors import InvalidInput

# 12가3456, 123가4567, 서울12가3456 (older regional plates); other special plates: 4-12 characters.
KOREAN_PLATE = re.compile(r"^(?:[가-힣]{2})?\d{2,3}[가-힣]\d{4}$")
ANY_PLATE = re.compile(r"^[0-9A-Z가-힣]{4,12}$")


def normalise_plate(text: str, field: str = "plate") -> str:
    """Upper-case, without spaces, dots or hyphens; raise ``InvalidInput`` when it is no plate."""
    plate = re.sub(r"[\s.\-·]", "", text or "").upper()
    if not (KOREAN_PLATE.match(plate) or ANY_PLATE.match(plate)):
        msg = "Not a licence plate: use the form 12가3456."
        raise InvalidInput(msg, fields={field: [msg]})
    return plate


def plate_hash(plate: str) -> str:
    """HMAC of the normalised plate: equal plates match, the plate cannot be recovered."""
    key = settings.VIOLATIONS_PLATE_HASH_KEY.encode()
    return hmac.new(key, normalise_plate(plate).encode(), hashlib.sha256).hexdigest()


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in settings.VIOLATIONS_PLATE_ENCRYPTION_KEYS])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """The clear text, or "" when the token is empty or no configured key opens it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def protect_plate(text: str | None, field: str = "plate") -> tuple[str, str]:
    """(hash, encrypted) for a submitted plate; ("", "") when none was given."""
    if not text or not text.strip():
        return "", ""
    plate = normalise_plate(text, field)
    return plate_hash(plate), encrypt(plate)


def encrypt_contact(contact: dict[str, Any]) -> str:
    kept = {k: v for k, v in contact.items() if v not in (None, "")}
    return encrypt(json.dumps(kept, ensure_ascii=False)) if kept else ""


def decrypt_contact(token: str) -> dict[str, Any]:
    text = decrypt(token)
    return json.loads(text) if text else {}
