"""HTML pages of the mapping app: the public overview map."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mapping.models import AccessibilityFeature, DisabledParkingSpot, Place


def home(request: HttpRequest) -> HttpResponse:
    counts = {
        "places": Place.objects.count(),
        "features": AccessibilityFeature.objects.count(),
        "parking": DisabledParkingSpot.objects.count(),
    }
    return render(request, "mapping/home.html", {"counts": counts})
