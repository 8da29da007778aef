"""Pagination shared by every list endpoint."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000


class FeaturePagination(GeoJsonPagination):
    """GeoJSON FeatureCollection pages; ``page_size`` up to 1000 like accessibility.cloud."""

    page_size_query_param = "page_size"
    max_page_size = 1000
