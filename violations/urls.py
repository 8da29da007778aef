"""Violations URLs: the API under /api/violations/ (Open311 under .../open311/v2/) and pages."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from violations import pages
from violations.api import hotspots, reports, sensors
from violations.review import pages as review

router = DefaultRouter()
router.register("reports", reports.ReportViewSet, basename="violation-report")

api = [
    *router.urls,
    path("photos/<uuid:key>/original/", reports.photo_original, name="violation-photo-original"),
    path("photos/<uuid:key>/redacted/", reports.photo_redacted, name="violation-photo-redacted"),
    path("photos/<uuid:key>/public.jpg", reports.photo_public, name="violation-photo-public"),
    path("photos/<uuid:key>/redaction/", reports.photo_redaction, name="violation-photo-redaction"),
    path("photos/<uuid:key>/review/", reports.photo_review_view, name="violation-photo-review"),
    path("sensor-events/", sensors.sensor_events, name="violation-sensor-events"),
    path("hotspots/hexagons/", hotspots.hexagons, name="violation-hexagons"),
    path("hotspots/gistar/", hotspots.gistar, name="violation-gistar"),
    path("hotspots/density/", hotspots.density, name="violation-density"),
    path("hotspots/ranking/", hotspots.ranking, name="violation-ranking"),
    path("hotspots/export.csv", hotspots.export_csv, name="violation-export-csv"),
    path("hotspots/export.gpkg", hotspots.export_gpkg, name="violation-export-gpkg"),
    path("hotspots/report.html", hotspots.export_report, name="violation-export-report"),
    path("districts/", hotspots.districts, name="violation-districts"),
    path("open311/v2/", include("violations.open311.urls")),
]

urlpatterns = [
    path("api/violations/", include(api)),
    path("violations/report/", pages.report_form, name="violation-report-form"),
    path("violations/report/<int:pk>/", pages.report_receipt, name="violation-report-receipt"),
    path("violations/dashboard/", pages.dashboard, name="violation-dashboard"),
    path("violations/review/", review.review_queue, name="violation-review"),
    path("violations/review/<int:pk>/", review.review_detail, name="violation-review-detail"),
    path(
        "violations/review/<int:pk>/transition/",
        review.review_transition,
        name="violation-review-transition",
    ),
    path("violations/review/<int:pk>/note/", review.review_note, name="violation-review-note"),
]
