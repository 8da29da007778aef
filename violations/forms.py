"""The citizen's report form (Korean first): what 안전신문고 asks, checked by the same service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from violations.models import ViolationType


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the evidence rule itself is checked by the intake service."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial) if data else []


class ReportForm(forms.Form):
    violation_type = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ViolationType.choices,
        widget=forms.RadioSelect,
        initial=ViolationType.ILLEGAL_PARKING,
    )
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    place_text = forms.CharField(
        label=_("Where (car park, building)"), max_length=200, required=False
    )
    plate = forms.CharField(
        label=_("Licence plate"),
        max_length=20,
        required=False,
        help_text=_("Officials only see it; it is never published."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    plate_visible = forms.BooleanField(
        label=_("The plate, the sign and the bay markings are visible in the photos"),
        required=False,
    )
    photos = MultipleFileField(
        label=_("Photos (at least 2, taken at least 1 minute apart)"),
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
        required=False,
    )
    description = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    contact_phone = forms.CharField(
        label=_("Phone (optional, for follow-up)"), max_length=40, required=False
    )
