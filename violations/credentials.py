"""Per-device and per-client API keys: random, shown once, stored only as SHA-256 hashes.

Keys are 256-bit random tokens, so a plain SHA-256 (not a slow password hash) is enough and
keeps per-event authentication cheap for sensors that report every few seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from violations.models import Open311Client, SensorDevice


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_device_key(device: SensorDevice) -> str:
    """A new key for ``device`` (the old one stops working); returned once, never stored."""
    secret = secrets.token_urlsafe(32)
    device.key_hash = _digest(secret)
    device.save(update_fields=["key_hash"])
    return f"{device.device_id}:{secret}"


def device_for_key(key: str) -> SensorDevice | None:
    device_id, _, secret = key.partition(":")
    if not device_id or not secret:
        return None
    device = SensorDevice.objects.select_related("spot").filter(device_id=device_id).first()
    if device is None or not device.active or not device.key_hash:
        return None
    return device if hmac.compare_digest(device.key_hash, _digest(secret)) else None


def issue_client_key(client: Open311Client) -> str:
    secret = "o311_" + secrets.token_urlsafe(32)
    client.key_hash = _digest(secret)
    client.save(update_fields=["key_hash"]) if client.pk else client.save()
    return secret


def client_for_key(key: str) -> Open311Client | None:
    if not key:
        return None
    client = Open311Client.objects.filter(key_hash=_digest(key), active=True).first()
    if client is not None:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
