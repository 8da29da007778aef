"""A small JSON-over-HTTP client for geocoding APIs: timeouts, retries on 429/5xx, clear errors."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from importers.geocoding.base import GeocoderUnavailable

RETRIES = 3
MAX_WAIT_S = 5.0


def get_json(
    provider: str,
    url: str,
    params: dict[str, str],
    *,
    headers: dict[str, str] | None = None,
    timeout_s: float = 10.0,
) -> Any:
    """GET ``url?params`` and decode JSON; rate limits and server errors are retried."""
    request = urllib.request.Request(  # noqa: S310 - the base URL comes from settings
        f"{url}?{urlencode(params)}", headers={"Accept": "application/json", **(headers or {})}
    )
    wait_s = 0.5
    for attempt in range(RETRIES):
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            if e.code in (401, 403):
                raise GeocoderUnavailable(
                    f"{provider}: the API key was refused (HTTP {e.code}).",
                    fields={provider: [f"HTTP {e.code}"]},
                ) from e
            if e.code != 429 and e.code < 500:
                raise GeocoderUnavailable(
                    f"{provider}: HTTP {e.code}.", fields={provider: [f"HTTP {e.code}"]}
                ) from e
            retry_after = e.headers.get("Retry-After", "") if e.headers else ""
            wait_s = min(float(retry_after) if retry_after.isdigit() else wait_s, MAX_WAIT_S)
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as e:
            if attempt == RETRIES - 1:
                raise GeocoderUnavailable(f"{provider}: {e}", fields={provider: [str(e)]}) from e
        if attempt < RETRIES - 1:
            time.sleep(wait_s)
            wait_s *= 2
    raise GeocoderUnavailable(
        f"{provider}: still rate-limited or failing after {RETRIES} attempts.",
        fields={provider: ["Rate limited."]},
    )
