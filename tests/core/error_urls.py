"""The portal's routes plus two that fail, to see the error pages a real failure gets."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from portal import urls as portal_urls
from portal.urls import handler400, handler403, handler404, handler500

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("could not connect to server")


urlpatterns: list[URLPattern | URLResolver] = [
    path("test-boom/", boom),
    path("test-database-down/", database_down),
    *portal_urls.urlpatterns,
]
