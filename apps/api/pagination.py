"""Lists come in pages: `?page=2`, up to `page_size` (default 50, at most 100) rows each.

A page that does not exist (`?page=-1`, `?page=abc`, past the last page) is the caller's mistake:
it answers 400 naming the `page` field, never 404 (which would read as "no such list")."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise ValidationError(
                {"page": ["Choose a page number from 1 to the last page."]}
            ) from exc
