"""Open311 GeoReport v2 endpoints: discovery, services, service definitions, requests (GET/POST).

POST needs an ``api_key`` issued to the sending system (``manage.py add_open311_client``).
GET is public and carries no plate, contact, description text or unredacted photo.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from modugil.errors import Forbidden, InvalidInput, NotFound
from violations.credentials import client_for_key
from violations.intake.citizen import CitizenReport, submit
from violations.models import CLOSED_STATUSES, Channel, ReportSource, ViolationReport
from violations.open311 import service
from violations.open311.render import open311_view, respond

MAX_REQUESTS = 1000
DEFAULT_WINDOW = timedelta(days=90)


def _jurisdiction(request: HttpRequest) -> None:
    given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if given and given != settings.VIOLATIONS_OPEN311_JURISDICTION:
        raise NotFound(
            f"Unknown jurisdiction_id {given!r}.", fields={"jurisdiction_id": ["Unknown."]}
        )


@require_GET
@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311-services", kwargs={"fmt": fmt}))
    data = {
        "changeset": "2026-11-26T00:00:00+09:00",
        "contact": settings.VIOLATIONS_OPEN311_AGENCY,
        "key_service": "API keys are issued by the operator (manage.py add_open311_client).",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rsplit("/", 1)[0],
                "changeset": "2026-11-26T00:00:00+09:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(data, fmt, "discovery", "endpoint")


@require_GET
@open311_view
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    return respond([service.SERVICE], fmt, "services", "service")


@require_GET
@open311_view
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    if code != service.SERVICE_CODE:
        raise NotFound(f"Unknown service_code {code!r}.", fields={"service_code": ["Unknown."]})
    return respond(service.definition(), fmt, "service_definition", "attribute")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    if request.method == "POST":
        return _create(request, fmt)
    reports = _filtered(request)
    base = request.build_absolute_uri("/").rstrip("/")
    data = [service.public_request(r, base) for r in reports]
    return respond(data, fmt, "service_requests", "request")


@require_GET
@open311_view
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    report = _citizen_reports().filter(pk=int(request_id)).first() if request_id.isdigit() else None
    if report is None:
        raise NotFound(
            f"No service request {request_id}.", fields={"service_request_id": ["Unknown."]}
        )
    base = request.build_absolute_uri("/").rstrip("/")
    return respond([service.public_request(report, base)], fmt, "service_requests", "request")


def _citizen_reports() -> QuerySet[ViolationReport]:
    return (
        ViolationReport.objects.filter(source=ReportSource.CITIZEN)
        .select_related("spot")
        .prefetch_related("photos")
    )


def _filtered(request: HttpRequest) -> list[ViolationReport]:
    qs = _citizen_reports().order_by("-created_at", "-pk")
    params = request.GET
    ids = [i for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        if not all(i.strip().isdigit() for i in ids):
            raise InvalidInput("service_request_id: numbers.", fields={"service_request_id": ids})
        return list(qs.filter(pk__in=[int(i) for i in ids]))
    code = params.get("service_code")
    if code and code != service.SERVICE_CODE:
        return []
    end = _date(params.get("end_date"), "end_date") or timezone.now()
    start = _date(params.get("start_date"), "start_date") or end - DEFAULT_WINDOW
    if end - start > DEFAULT_WINDOW:
        msg = "start_date and end_date may be at most 90 days apart."
        raise InvalidInput(msg, fields={"start_date": [msg]})
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    status = params.get("status")
    if status:
        wanted = set(status.split(","))
        if not wanted <= {"open", "closed"}:
            raise InvalidInput("status is open or closed.", fields={"status": [status]})
        if wanted == {"open"}:
            qs = qs.exclude(status__in=CLOSED_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.filter(status__in=CLOSED_STATUSES)
    page_size = min(_positive(params.get("page_size"), "page_size", MAX_REQUESTS), MAX_REQUESTS)
    page = _positive(params.get("page"), "page", 1)
    return list(qs[(page - 1) * page_size : page * page_size])


def _positive(text: str | None, name: str, default: int) -> int:
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f"{name} must be a positive integer.", fields={name: [text]})
    return int(text)


def _date(text: str | None, name: str) -> datetime | None:
    if not text:
        return None
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise InvalidInput(f"{name}: W3C date-time expected.", fields={name: [text]})
    return value if value.tzinfo else timezone.make_aware(value)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    client = client_for_key(request.POST.get("api_key", ""))
    if client is None:
        raise Forbidden(
            "A valid api_key is required to submit requests.", fields={"api_key": ["Invalid."]}
        )
    form = request.POST
    if form.get("service_code") != service.SERVICE_CODE:
        raise NotFound(
            "Unknown service_code.", fields={"service_code": [form.get("service_code", "")]}
        )
    attributes = {
        k[len("attribute[") : -1]: str(form.get(k, "")) for k in form if k.startswith("attribute[")
    }
    report, _ = submit(_citizen_report(form, attributes, request, client), None)
    notice = "접수되었습니다. 담당 공무원이 검토합니다."
    data = [{"service_request_id": str(report.pk), "service_notice": notice, "account_id": None}]
    return respond(data, fmt, "service_requests", "request", status=201)


def _citizen_report(
    form: Any, attributes: dict[str, str], request: HttpRequest, client: Any
) -> CitizenReport:
    try:
        lat, lon = float(form.get("lat", "")), float(form.get("long", ""))
    except ValueError as e:
        msg = "lat and long are required (address_string alone cannot be located)."
        raise InvalidInput(msg, fields={"lat": [msg], "long": [msg]}) from e
    missing = [c for c in ("violation_type", "plate_visible") if not attributes.get(c)]
    files = request.FILES.getlist("media")
    if not files:
        missing += [c for c in ("photo_1_taken_at", "photo_2_taken_at") if not attributes.get(c)]
    if missing:
        raise InvalidInput(
            "Required attributes are missing.",
            fields={f"attribute[{c}]": ["Required."] for c in missing},
        )
    attested = [
        _taken_at(attributes, c)
        for c in ("photo_1_taken_at", "photo_2_taken_at")
        if attributes.get(c)
    ]
    contact = {
        k: form.get(k)
        for k in ("email", "phone", "first_name", "last_name", "device_id", "account_id")
    }
    return CitizenReport(
        lon=lon,
        lat=lat,
        violation_type=attributes["violation_type"],
        channel=Channel.OPEN311,
        photos=files,
        photo_taken_at=list(attested) if files else [],
        attested_taken_at=[] if files else attested,
        plate=attributes.get("plate_number", ""),
        plate_visible=attributes["plate_visible"].lower() == "true",
        description=form.get("description", "")[:2000],
        place_text=form.get("address_string", "")[:200],
        contact=contact,
        open311_client=client,
        media_urls=form.getlist("media_url"),
    )


def _taken_at(attributes: dict[str, str], code: str) -> datetime:
    value = _date(attributes.get(code), f"attribute[{code}]")
    assert value is not None
    return value
