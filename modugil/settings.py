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
    "volunteer",
    "violations",
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

# History context (user, URL) is only needed for writes; leaving GET out keeps public reads from
# touching the session, so tiles and GeoJSON stay shareable by caches (no Vary: Cookie).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ROOT_URLCONF = "modugil.urls"
WSGI_APPLICATION = "modugil.wsgi.application"
ASGI_APPLICATION = "modugil.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

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

# JIT compilation costs far more than it saves on web requests (a vector-tile query spent ~1 s in
# JIT for 30 ms of work): off for the service's own connections.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Django's cursors bind parameters on the client and never prepare; the tiles app runs its
# per-request queries as prepared statements (``prepare=True``), which psycopg ignores unless
# the connection has a threshold (Django's default, None, disables preparing altogether).
DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5

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
# Tests and `runserver` find static files through the finders; `bin/modugil run` collects them.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
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

# --- Tiles: built vector tiles are cached per layer version (an edit never serves a stale tile) ---
# Any Django cache backend (files by default: shared by all server processes on the host; point it
# at memcached/Redis for several hosts); DummyCache switches the cache off (benchmarks of cold tiles).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "tiles": {
        "BACKEND": env("MODUGIL_TILES_CACHE_BACKEND", "tiles.cache.TileFileCache"),
        "LOCATION": env("MODUGIL_TILES_CACHE_LOCATION", str(VAR_DIR / "cache" / "tiles")),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": envint("MODUGIL_TILES_CACHE_ENTRIES", 20000)},
    },
}
# lon, lat, zoom of the maps' first view (the demo area: Yeouido, Seoul).
TILES_MAP_CENTER = envfloats("MODUGIL_MAP_CENTER", (126.93, 37.53, 13.0), 3)

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

# --- Violations: disabled-parking violation reports, sensors, enforcement records, hotspots ------
# Plates are stored twice: an HMAC (matching, never reversible) and a Fernet token (officials only).
VIOLATIONS_PLATE_HASH_KEY = env("MODUGIL_PLATE_HASH_KEY")
# Comma-separated Fernet keys: the first encrypts, all decrypt (key rotation).
VIOLATIONS_PLATE_ENCRYPTION_KEYS = [
    k.strip() for k in env("MODUGIL_PLATE_ENCRYPTION_KEY").split(",") if k.strip()
]
if not VIOLATIONS_PLATE_HASH_KEY or not VIOLATIONS_PLATE_ENCRYPTION_KEYS:
    if not DEBUG:
        msg = (
            "MODUGIL_PLATE_HASH_KEY and MODUGIL_PLATE_ENCRYPTION_KEY are required when "
            "MODUGIL_DEBUG is not True (bin/modugil generates them under var/)"
        )
        raise ImproperlyConfigured(msg)
    VIOLATIONS_PLATE_HASH_KEY = VIOLATIONS_PLATE_HASH_KEY or "insecure-development-plate-hash-key"
    VIOLATIONS_PLATE_ENCRYPTION_KEYS = VIOLATIONS_PLATE_ENCRYPTION_KEYS or [
        "ZGV2ZWxvcG1lbnQtb25seS1wbGF0ZS1rZXktMzJieXQ="  # development only, never in production
    ]
# Evidence photos live outside MEDIA_ROOT: no URL reaches them except the officials' views.
VIOLATIONS_PRIVATE_ROOT = Path(
    env("MODUGIL_VIOLATIONS_PRIVATE_ROOT", str(VAR_DIR / "private" / "violations"))
)
VIOLATIONS_SPOT_RADIUS_M = envint("MODUGIL_VIOLATIONS_SPOT_RADIUS_M", 30)
VIOLATIONS_DUPLICATE_WINDOW_MIN = envint("MODUGIL_VIOLATIONS_DUPLICATE_WINDOW_MIN", 60)
VIOLATIONS_DUPLICATE_RADIUS_M = envint("MODUGIL_VIOLATIONS_DUPLICATE_RADIUS_M", 15)
# 안전신문고's evidence rule: at least two photos taken at least one minute apart.
VIOLATIONS_MIN_PHOTOS = envint("MODUGIL_VIOLATIONS_MIN_PHOTOS", 2)
VIOLATIONS_MAX_PHOTOS = envint("MODUGIL_VIOLATIONS_MAX_PHOTOS", 6)
VIOLATIONS_MIN_PHOTO_GAP_S = envint("MODUGIL_VIOLATIONS_MIN_PHOTO_GAP_S", 60)
VIOLATIONS_MAX_REPORT_AGE_DAYS = envint("MODUGIL_VIOLATIONS_MAX_REPORT_AGE_DAYS", 30)
VIOLATIONS_SENSOR_MAX_CLOCK_SKEW_S = envint("MODUGIL_VIOLATIONS_SENSOR_MAX_CLOCK_SKEW_S", 300)
# Anonymous hexagon layers: never finer than this H3 resolution, never cells with fewer cases.
VIOLATIONS_PUBLIC_MAX_H3_RES = envint("MODUGIL_VIOLATIONS_PUBLIC_MAX_H3_RES", 9)
VIOLATIONS_PUBLIC_MIN_COUNT = envint("MODUGIL_VIOLATIONS_PUBLIC_MIN_COUNT", 3)
VIOLATIONS_OPEN311_JURISDICTION = env("MODUGIL_OPEN311_JURISDICTION", "modugil.local")
VIOLATIONS_OPEN311_AGENCY = env("MODUGIL_OPEN311_AGENCY", "장애인전용주차구역 단속 담당")
# Geocoders put un-geocodable addresses at a city centre: enforcement rows there are flagged,
# not mapped. "lon,lat;lon,lat" (default: Cheonan's fallback point in the 2023 enforcement file).
try:
    VIOLATIONS_GEOCODE_FALLBACK_POINTS = [
        (float(pair.split(",")[0]), float(pair.split(",")[1]))
        for pair in env("MODUGIL_VIOLATIONS_GEOCODE_FALLBACK", "127.1139120,36.8150679").split(";")
        if pair.strip()
    ]
except (ValueError, IndexError) as e:
    msg = "MODUGIL_VIOLATIONS_GEOCODE_FALLBACK must be lon,lat pairs separated by ';'"
    raise ImproperlyConfigured(msg) from e
# --- Routing graph --------------------------------------------------------------------------------
# Built graphs (arrays, memory-mapped by the engine); one sub-directory per area name.
ROUTING_GRAPH_DIR = Path(env("MODUGIL_ROUTING_GRAPH_DIR", str(VAR_DIR / "graphs")))
# A verified point feature snaps to a graph node within this distance, else to an edge within
# the edge tolerance; farther away it is left out of the overlay (and listed in the QA report).
ROUTING_SNAP_NODE_M = envfloats("MODUGIL_ROUTING_SNAP_NODE_M", (3.0,), 1)[0]
ROUTING_SNAP_EDGE_M = envfloats("MODUGIL_ROUTING_SNAP_EDGE_M", (10.0,), 1)[0]
# OSM ways not edited for this long count as stale in the data-quality report.
ROUTING_STALE_OSM_DAYS = envint("MODUGIL_ROUTING_STALE_OSM_DAYS", 5 * 365)
# Route requests: an origin or destination farther than this from any path the profile may use
# is refused with the distance (never moved silently, unlike OSRM's 75 m re-snap).
ROUTING_MAX_SNAP_M = envfloats("MODUGIL_ROUTING_MAX_SNAP_M", (50.0,), 1)[0]
# Crowd data older than this is reported as stale on a route; trips may have this many stops.
ROUTING_STALE_DAYS = envint("MODUGIL_ROUTING_STALE_DAYS", 2 * 365)
ROUTING_MAX_STOPS = envint("MODUGIL_ROUTING_MAX_STOPS", 12)
# Contraction hierarchies (per preset) of graphs up to this many directed edges are built on
# first use; larger graphs build them in a background thread while exact ALT searches answer.
ROUTING_HIERARCHY_SYNC_EDGES = envint("MODUGIL_ROUTING_HIERARCHY_SYNC_EDGES", 50_000)

# --- Volunteer app for phones (/app/) --------------------------------------------------------------
VOLUNTEER_QUEST_RADIUS_M = envint("MODUGIL_VOLUNTEER_QUEST_RADIUS_M", 500)  # default "near me"
VOLUNTEER_QUEST_LIMIT = envint("MODUGIL_VOLUNTEER_QUEST_LIMIT", 60)  # quests per request
VOLUNTEER_PHOTO_MAX_SIDE_PX = envint(
    "MODUGIL_VOLUNTEER_PHOTO_MAX_SIDE_PX", 1600
)  # resized on the phone
VOLUNTEER_PROGRESS_POLL_S = envint(
    "MODUGIL_VOLUNTEER_PROGRESS_POLL_S", 15
)  # live campaign progress
VOLUNTEER_LEADERBOARD_DAYS = envint("MODUGIL_VOLUNTEER_LEADERBOARD_DAYS", 30)
VOLUNTEER_MAP_CENTER = envfloats("MODUGIL_VOLUNTEER_MAP_CENTER", (126.9245, 37.5265), 2)  # lon, lat

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
