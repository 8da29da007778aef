"""Installable app: the web app manifest and the service worker, both scoped to /app/."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

SCOPE = "/app/"
# The app shell: what must be on the phone to open the app with no connection at all.
SHELL_STATIC = (
    "volunteer/app.css",
    "volunteer/js/core.js",
    "volunteer/js/queue.js",
    "volunteer/js/sync.js",
    "volunteer/js/map.js",
    "volunteer/js/quests.js",
    "volunteer/js/capture.js",
    "volunteer/js/validate.js",
    "volunteer/js/community.js",
    "volunteer/js/outbox.js",
    "volunteer/icons/icon-192.png",
    "volunteer/icons/icon-512.png",
    "vendor/maplibre-gl/maplibre-gl.js",
    "vendor/maplibre-gl/maplibre-gl.css",
)
THEME_COLOR = "#0b5cad"


@lru_cache(maxsize=1)
def shell_version() -> str:
    """Changes whenever a shell file or the worker changes, so phones pick up new versions."""
    digest = hashlib.sha256()
    worker = Path(__file__).parent / "templates" / "volunteer" / "sw.js"
    for path in [*(finders.find(name) for name in SHELL_STATIC), str(worker)]:
        if path:
            digest.update(Path(str(path)).read_bytes())
    return digest.hexdigest()[:12]


def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("modugil volunteer map"),
        "short_name": _("modugil"),
        "description": _("Map barriers and accessibility on your walks, even offline."),
        "lang": get_language(),
        "start_url": reverse("volunteer:home"),
        "scope": SCOPE,
        "id": SCOPE,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": static(f"volunteer/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
        "categories": ["navigation", "utilities"],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def basemap_origin(url_template: str) -> str:
    """Origin of the configured raster basemap, whose tiles the worker keeps for offline use."""
    if not url_template:
        return ""
    parts = urlsplit(url_template)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    precache = [reverse("volunteer:offline"), *(static(name) for name in SHELL_STATIC)]
    body = render_to_string(
        "volunteer/sw.js",
        {
            "version": shell_version(),
            "precache": json.dumps(precache),
            "queue_url": static("volunteer/js/queue.js"),
            "offline_url": reverse("volunteer:offline"),
            "scope": SCOPE,
            "basemap_origin": basemap_origin(settings.BASEMAP_URL),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = SCOPE
    return response
