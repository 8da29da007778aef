"""HTML pages of the mapping app: the public overview map."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from mapping.models import AccessibilityFeature, DisabledParkingSpot, Place
from routing.profiles import PRESET_LABELS, PRESETS


def home(request: HttpRequest) -> HttpResponse:
    counts = {
        "places": Place.objects.count(),
        "features": AccessibilityFeature.objects.count(),
        "parking": DisabledParkingSpot.objects.count(),
    }
    korean = (get_language() or "ko").startswith("ko")
    profiles = [(key, PRESET_LABELS[key][0 if korean else 1]) for key in PRESETS]
    return render(request, "mapping/home.html", {"counts": counts, "profiles": profiles})
