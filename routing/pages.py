"""The trip-planner page: map, profile presets and sliders, the route with its warnings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from routing.models import GraphBuild
from routing.profiles import NUMERIC_PARAMS, PRESET_LABELS, PRESETS

SLIDERS = {
    "max_uphill_pct": 0.5,
    "max_downhill_pct": 0.5,
    "max_kerb_height_cm": 0.5,
    "min_width_m": 0.05,
    "max_steps": 1,
    "street_avoidance": 0.1,
    "min_confidence": 0.05,
}


def _strings() -> dict[str, str]:
    """Texts the planner's script shows, translated on the server (Korean first)."""
    return {
        "pick_origin": _("Click the map to set the start, or type lon,lat."),
        "pick_destination": _("Now click the destination."),
        "searching": _("Searching…"),
        "length": _("Length"),
        "duration": _("Time"),
        "ascent": _("Climb"),
        "descent": _("Descent"),
        "minutes": _("min"),
        "avoided": _("Avoided compared with the plain walking route"),
        "warnings": _("Warnings"),
        "no_warnings": _("No warnings on this route."),
        "alternatives": _("Alternatives"),
        "no_route": _("No route"),
        "apply": _("Try this"),
        "nearest": _("Nearest reachable point: %(m)s m from the destination"),
        "error": _("Something went wrong"),
        "unknown": _("unknown"),
        "network_passable": _("passable"),
        "network_warning": _("passable with warnings"),
        "network_blocked": _("blocked"),
        "network_along": _("this way"),
        "network_against": _("the other way"),
    }


def _network_config() -> dict[str, Any]:
    """The network tile layer (coloured for the chosen profile) drawn under the route."""
    from routing.layers.network import STATUS_COLORS, Network

    return {
        "tiles": f"/tiles/{Network.name}/{{z}}/{{x}}/{{y}}.pbf",
        "layer": Network.name,
        "minzoom": Network.minzoom,
        "colors": STATUS_COLORS,
        "why": network_reasons(),
    }


def network_reasons() -> dict[str, str]:
    """Labels for the codes the network layer gives as ``why``."""
    return {
        "steps": _("steps"),
        "escalator": _("escalator"),
        "elevator": _("elevator"),
        "uphill": _("too steep uphill"),
        "downhill": _("too steep downhill"),
        "kerb": _("kerb too high"),
        "width": _("too narrow"),
        "surface": _("rough surface"),
        "smoothness": _("uneven surface"),
        "wheelchair_no": _("not for wheelchairs"),
        "barrier": _("barrier"),
        "obstacle": _("obstacle"),
        "unknown_incline": _("slope unknown"),
        "unknown_kerb": _("kerb height unknown"),
        "unknown_width": _("width unknown"),
        "unknown_surface": _("surface unknown"),
        "unknown_smoothness": _("smoothness unknown"),
        "unknown_steps": _("number of steps unknown"),
        "coarse_slope": _("may be steep (coarse elevation data)"),
        "near_limit": _("close to your limits"),
        "no_sidewalk": _("no mapped sidewalk"),
        "stale_report": _("old crowd report"),
        "low_confidence": _("low-confidence crowd report"),
        "ignored_report": _("crowd report ignored (below your minimum confidence)"),
    }


def planner(request: HttpRequest) -> HttpResponse:
    lang = "ko" if (get_language() or "ko").startswith("ko") else "en"
    presets = [
        {
            "key": key,
            "label": PRESET_LABELS[key][0 if lang == "ko" else 1],
            "values": PRESETS[key].as_dict(),
        }
        for key in PRESETS
    ]
    sliders = [
        {
            "name": name,
            "step": step,
            "min": NUMERIC_PARAMS[name].minimum,
            "max": NUMERIC_PARAMS[name].maximum,
            "unit": NUMERIC_PARAMS[name].unit,
            "label": NUMERIC_PARAMS[name].help_ko if lang == "ko" else NUMERIC_PARAMS[name].help_en,
        }
        for name, step in SLIDERS.items()
    ]
    graphs = [
        {"name": b.name, "bbox": list(b.bbox.extent)}
        for b in GraphBuild.objects.filter(is_active=True).order_by("name")
    ]
    context: dict[str, Any] = {
        "presets": presets,
        "sliders": sliders,
        "graphs": graphs,
        "config": {
            "presets": presets,
            "graphs": graphs,
            "strings": _strings(),
            "lang": lang,
            "network": _network_config(),
        },
    }
    return render(request, "routing/planner.html", context)
