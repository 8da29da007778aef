"""URL map: mounts each app; no views live here."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/auth/token/", obtain_auth_token, name="api-token"),
    path("api/mapping/", include("mapping.urls")),
    path("api/community/", include("community.urls")),
    path("tiles/", include("tiles.urls")),
    path("api/routing/", include("routing.urls")),
    path("", include("violations.urls")),  # /api/violations/... and /violations/... pages
    path("api/", include("importers.urls")),
    # Contribution photos are public by design (EXIF already stripped); nothing else under media is.
    re_path(r"^media/(?P<path>photos/.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include("volunteer.urls")),
    path("plan/", include("routing.page_urls")),
    path("", include("mapping.page_urls")),
]
