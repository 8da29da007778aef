"""Review pages: the queue and one report. Forms post here; the rules are the workflow's.

Errors from the services are shown in the page with the status their class maps to
(``modugil.errors``), and what the official typed is put back in the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from accounts.permissions import has_role
from modugil.errors import InvalidInput, ModugilError, status_for
from violations import workflow
from violations.api.serializers import PhotoSerializer
from violations.models import (
    DecisionReason,
    RedactionStatus,
    ReportSource,
    ReportStatus,
    ViolationReport,
    ViolationType,
)
from violations.review import detail
from violations.review.queue import PAGE_SIZE, QueueFilters, districts, queue, status_counts


def _official(request: HttpRequest) -> User:
    if not has_role(request.user, Role.OFFICIAL):
        raise PermissionDenied
    return request.user  # type: ignore[return-value]


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _official(request)
    try:
        filters = QueueFilters.from_query(request.GET)
        error = None
    except InvalidInput as e:
        filters, error = QueueFilters(), e
    page = Paginator(queue(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filters": filters,
        "error": error,
        "page": page,
        "counts": status_counts(filters),
        "statuses": ReportStatus.choices,
        "types": ViolationType.choices,
        "sources": ReportSource.choices,
        "districts": districts(),
        "query": params.urlencode(),
    }
    return render(request, "violations/review_queue.html", context, status=_status(error))


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _official(request)
    return _detail(request, get_object_or_404(ViolationReport, pk=pk))


@login_required
@require_POST
def review_transition(request: HttpRequest, pk: int) -> HttpResponse:
    def move(report: ViolationReport, user: User, version: int) -> None:
        workflow.transition(
            report,
            request.POST.get("to", ""),
            actor=user,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            duplicate_of=_original(request.POST.get("duplicate_of", "")),
            expected_version=version,
        )

    return _write(request, pk, move, form="transition", anchor="decision")


@login_required
@require_POST
def review_note(request: HttpRequest, pk: int) -> HttpResponse:
    def note(report: ViolationReport, user: User, version: int) -> None:
        workflow.add_note(
            report, request.POST.get("text", ""), author=user, expected_version=version
        )

    return _write(request, pk, note, form="note", anchor="notes")


def _write(
    request: HttpRequest,
    pk: int,
    write: Callable[[ViolationReport, User, int], None],
    *,
    form: str,
    anchor: str,
) -> HttpResponse:
    """Run a service write with the form's version; on error re-show the page with the input."""
    user = _official(request)
    report = get_object_or_404(ViolationReport, pk=pk)
    try:
        write(report, user, _version(request.POST.get("version")))
    except ModugilError as e:
        return _detail(request, report, error=e, form=form)
    return redirect(reverse("violation-review-detail", args=[pk]) + "#" + anchor)


def _version(text: str | None) -> int:
    """Page forms always carry the version the official read: without it nothing is written."""
    if not text or not text.strip().isdigit():
        msg = _("The form lacks the report's version: reload the page.")
        raise InvalidInput(msg, fields={"version": [msg]})
    return int(text)


def _original(text: str) -> ViolationReport | None:
    if not text:
        return None
    original = ViolationReport.objects.filter(pk=int(text)).first() if text.isdigit() else None
    if original is None:
        msg = _("No such report.")
        raise InvalidInput(msg, fields={"duplicate_of": [msg]})
    return original


def _status(error: ModugilError | None) -> int:
    return status_for(error) if error is not None else 200


def _detail(
    request: HttpRequest,
    report: ViolationReport,
    *,
    error: ModugilError | None = None,
    form: str = "",
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    report.refresh_from_db()
    private = detail.reveal_on_page(report, user, request.get_full_path())
    labels = dict(RedactionStatus.choices)
    objects = list(report.photos.all())
    photos = [
        {
            **data,
            "status_label": str(labels.get(data["redaction_status"], "")),
            "taken": obj.taken_at,
        }
        for obj, data in zip(objects, PhotoSerializer(objects, many=True).data, strict=True)
    ]
    context: dict[str, Any] = {
        "report": report,
        "plate": private.plate,
        "contact": private.contact,
        "photos": photos,
        "redaction_labels": {k: str(v) for k, v in labels.items()},
        "candidates": detail.candidates(report),
        "transitions": detail.transition_choices(report, user),
        "may_mark_duplicate": ReportStatus.DUPLICATE
        in workflow.allowed_targets(report.status, user),
        "reasons": DecisionReason.choices,
        "notes": report.notes.select_related("author"),
        "history": detail.status_history(report),
        "error": error,
        "error_form": form,
        "submitted": request.POST if error is not None else {},
        "spot_geojson": _point(report.spot.geom) if report.spot_id else None,  # type: ignore[union-attr]
        "report_geojson": _point(report.geom),
    }
    return render(request, "violations/review_detail.html", context, status=_status(error))


def _point(geom: Any) -> list[float]:
    return [round(geom.x, 7), round(geom.y, 7)]
