"""modugil settings: one flat, environment-driven module. Code reads ``django.conf.settings`` only."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from modugil.env import env, envbool, envfloats, envint

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("MODUGIL_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -----------------------------------------------------------------------------------------
DEBUG = envbool("MODUGIL_DEBUG", default=False)
SECRET_KEY = env("MODUGIL_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        msg = "MODUGIL_SECRET_KEY is required when MODUGIL_DEBUG is not True"
        raise ImproperlyConfigured(msg)
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = [h for h in env("MODUGIL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("MODUGIL_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "accounts",
    "community",
    "mapping",
    "importers",
    "routing",
    "tiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "modugil.urls"
WSGI_APPLICATION = "modugil.wsgi.application"
ASGI_APPLICATION = "modugil.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "modugil.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# DATABASE_URL switches to an existing PostGIS; otherwise the project-local cluster started by
# bin/modugil (unix socket under var/pg/run, superuser "postgres", trust auth on the socket only).
GIS_ENGINE = "django.contrib.gis.db.backends.postgis"
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, engine=GIS_ENGINE, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": GIS_ENGINE,
            "NAME": env("MODUGIL_DB_NAME", "modugil"),
            "USER": "postgres",
            "HOST": env("MODUGIL_PG_SOCKET_DIR", str(VAR_DIR / "pg" / "run")),
            "PORT": str(envint("MODUGIL_PG_PORT", 55433)),
            "CONN_MAX_AGE": 60,
        }
    }

# --- Auth -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation: Korean first, English available ----------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from npm (package.json); bin/modugil copies the files pages use into
# var/vendor so that no CDN is needed at run time.
VENDOR_DIR = VAR_DIR / "vendor"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", VENDOR_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MODUGIL_MEDIA_ROOT", str(VAR_DIR / "media")))
MAX_UPLOAD_BYTES = envint("MODUGIL_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_IMAGE_PIXELS = envint("MODUGIL_MAX_IMAGE_PIXELS", 40_000_000)
# Bodies above this are refused before parsing; uploads get their own per-file check.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "modugil.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "modugil.pagination.StandardPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_RATES": {"anon": "600/min", "user": "3000/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "modugil API (모두의 길)",
    "DESCRIPTION": (
        "Accessibility features, places and disabled-parking spots; barrier-free routing; "
        "violation reports. Coordinates are WGS84 (EPSG:4326) longitude/latitude. "
        "Map data © OpenStreetMap contributors, ODbL 1.0."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Geography ------------------------------------------------------------------------------------
STORAGE_SRID = 4326  # everything is stored and served in WGS84
METRIC_SRID = 5179  # Korea 2000 / Unified CS: metric work (distances, buffers, grades)
# lon_min, lat_min, lon_max, lat_max: submitted coordinates outside are refused as a likely swap.
SERVICE_AREA = envfloats("MODUGIL_SERVICE_AREA", (124.5, 33.0, 131.9, 38.7), 4)
_shared_data = BASE_DIR.parent / "shared" / "data"
DATA_DIR = Path(env("MODUGIL_DATA_DIR", str(_shared_data) if _shared_data.exists() else ""))
OSM_DOWNLOAD_URL = env("MODUGIL_OSM_URL")
DOWNLOAD_DIR = VAR_DIR / "downloads"
BASEMAP_URL = env("MODUGIL_BASEMAP_URL")
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL 1.0)"

# --- Importers: geocoding address-only rows, uploads and exports ----------------------------------
# Providers tried in order for rows with an address but no location. "local" matches addresses
# already in the database and needs no key; Kakao and VWorld are used only when keyed.
IMPORTERS_GEOCODERS = [
    n.strip() for n in env("MODUGIL_GEOCODERS", "local,kakao,vworld").split(",") if n.strip()
]
if set(IMPORTERS_GEOCODERS) - {"local", "kakao", "vworld"}:
    msg = f"MODUGIL_GEOCODERS={IMPORTERS_GEOCODERS}: use local, kakao and/or vworld"
    raise ImproperlyConfigured(msg)
IMPORTERS_KAKAO_REST_KEY = env("MODUGIL_KAKAO_REST_KEY")
IMPORTERS_KAKAO_URL = env("MODUGIL_KAKAO_URL", "https://dapi.kakao.com")
IMPORTERS_VWORLD_KEY = env("MODUGIL_VWORLD_KEY")
IMPORTERS_VWORLD_URL = env("MODUGIL_VWORLD_URL", "https://api.vworld.kr")
IMPORTERS_GEOCODE_TIMEOUT_S = envint("MODUGIL_GEOCODE_TIMEOUT_S", 10)
# Files officials upload through the API to import (the command line has no limit).
IMPORTERS_MAX_UPLOAD_BYTES = envint("MODUGIL_IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# Bulk exports per client (DRF rate syntax); officials are not throttled.
IMPORTERS_EXPORT_RATE = env("MODUGIL_EXPORT_RATE", "60/hour")

# --- Mapping: re-survey intervals per feature type, in days (StreetComplete check_date idea) ------
RESURVEY_DAYS = {
    "kerb": 8 * 365,
    "curb_ramp": 8 * 365,
    "steps": 8 * 365,
    "ramp": 4 * 365,
    "elevator": 180,
    "obstacle": 14,
    "surface_problem": 365,
    "narrow_passage": 2 * 365,
    "steep_slope": 12 * 365,
    "tactile_paving": 8 * 365,
    "crossing": 8 * 365,
    "place": 2 * 365,
    "parking": 2 * 365,
}

# GDAL 3.6 (Debian 12) cannot block file access from spatial references; we only accept GeoJSON and
# WKB with SRID numbers, never user-supplied SRS definitions.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("MODUGIL_LOG_LEVEL", "INFO")},
}
