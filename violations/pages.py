"""Pages: the citizen report form and receipt, and the officials' hotspot dashboard."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Role
from accounts.permissions import has_role
from modugil.errors import ModugilError
from violations.forms import ReportForm
from violations.intake.citizen import CitizenReport, submit
from violations.models import (
    COUNTED_STATUSES,
    Channel,
    ReportSource,
    ReportStatus,
    ViolationReport,
    ViolationType,
)


@login_required
def report_form(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, _ = submit(
                CitizenReport(
                    lon=data["lon"],
                    lat=data["lat"],
                    violation_type=data["violation_type"],
                    channel=Channel.FORM,
                    photos=request.FILES.getlist("photos"),
                    photo_taken_at=_times(request.POST.getlist("photo_taken_at")),
                    plate=data["plate"],
                    plate_visible=data["plate_visible"] or None,
                    description=data["description"],
                    place_text=data["place_text"],
                    contact={"phone": data["contact_phone"]},
                ),
                request.user,  # type: ignore[arg-type]
            )
            return redirect("violation-report-receipt", pk=report.pk)
        except ModugilError as e:
            _attach(form, e)
    status = 400 if form.errors else 200
    return render(request, "violations/report_form.html", {"form": form}, status=status)


def _times(values: list[str]) -> list[datetime | None]:
    times: list[datetime | None] = []
    for value in values:
        try:
            times.append(parse_datetime(value) if value else None)
        except ValueError:
            times.append(None)
    return times


def _attach(form: ReportForm, error: ModugilError) -> None:
    """Show a service error next to the field it names (photos[1] -> photos)."""
    if not error.fields:
        form.add_error(None, error.message)
    for name, messages in error.fields.items():
        field = name.split("[")[0]
        field = {"location": "lat", "photo_taken_at": "photos"}.get(field, field)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


@login_required
def report_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ViolationReport, pk=pk)
    if report.reporter_id != request.user.pk and not has_role(request.user, Role.OFFICIAL):
        raise PermissionDenied
    return render(request, "violations/report_receipt.html", {"report": report})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.OFFICIAL):
        raise PermissionDenied
    start, end = default_period()
    context = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "types": ViolationType.choices,
        "statuses": ReportStatus.choices,
        "counted": COUNTED_STATUSES,
        "sources": ReportSource.choices,
        "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    }
    return render(request, "violations/dashboard.html", context)


def default_period() -> tuple[date, date]:
    """The calendar year of the latest record, up to that record (or the last 12 months)."""
    latest = ViolationReport.objects.aggregate(last=Max(Coalesce("occurred_until", "occurred_at")))[
        "last"
    ]
    end = timezone.localdate(latest) if latest else timezone.localdate()
    start = date(end.year, 1, 1) if latest else end - timedelta(days=365)
    return start, end
