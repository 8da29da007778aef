from django.urls import path
from rest_framework.routers import DefaultRouter

from importers import views

router = DefaultRouter()
router.register("imports/runs", views.ImportRunViewSet, basename="import-run")
router.register("imports/pending", views.PendingGeocodeViewSet, basename="pending-geocode")

urlpatterns = [
    path("exports/", views.ExportCatalogueView.as_view(), name="export-catalogue"),
    path("exports/<str:export_format>/", views.ExportView.as_view(), name="export"),
    path("imports/", views.ImportView.as_view(), name="import"),
    *router.urls,
]
