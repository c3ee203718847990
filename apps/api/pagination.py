"""Lists come in pages: `?page=2`, up to `page_size` (default 50, at most 100) rows each."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
