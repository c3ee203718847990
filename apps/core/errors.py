"""The portal's own pages for 400, 403 (and a failed CSRF check), 404 and 500.

Each page has the portal's layout, says what happened in plain words, offers a way back and the
clinic's 24-hour number. Under /api/ the answers stay JSON in the API's error shape.

With DEBUG on (`make run`), Django would show its technical pages instead; `ErrorPagesMiddleware`
shows the portal's pages there too, so the demo looks like the real thing. Developers who want
the technical pages set TECHNICAL_ERROR_PAGES=true; the 500's traceback is always logged.

The 500 page must render when the database is down: it is a standalone template, rendered
without context processors (no session, no user, no settings row), and the clinic's number comes
from the kept copy of the settings only if reading it works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, get_resolver

from apps.api.errors import MESSAGES, error_body

logger = logging.getLogger("django.request")

Handler = Callable[[HttpRequest], HttpResponse]

API_PREFIXES = ("/api/", "/_allauth/")

_API_ERRORS = {
    400: ("invalid", "The request could not be read."),
    403: ("permission_denied", MESSAGES["permission_denied"]),
    404: ("not_found", MESSAGES["not_found"]),
    500: ("server_error", "Something went wrong on our side. Please try again later."),
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def _api_error(status: int) -> JsonResponse:
    code, message = _API_ERRORS[status]
    return JsonResponse(error_body(code, message), status=status)


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    if _is_api(request):
        return _api_error(status)
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "errors/404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from an old page (or with cookies blocked): say so, and how to send it again."""
    if _is_api(request):
        return _api_error(403)
    return render(request, "errors/403_csrf.html", status=403)


def _clinic_contact() -> dict[str, str]:
    """The clinic's name and 24-hour number if they can be read; empty when the database is down
    (the page then points to the alert card and 999 instead)."""
    try:
        from apps.clinic.selectors import clinic_settings_cached

        clinic = clinic_settings_cached()
        return {"clinic_name": str(clinic.name), "phone": str(clinic.phone_24h)}
    except Exception:  # the page must render whatever is broken
        return {"clinic_name": "", "phone": ""}


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered with a plain context: no session, user or context processors, which may be what
    failed."""
    if _is_api(request):
        return _api_error(500)
    try:
        body = loader.get_template("errors/500.html").render(_clinic_contact())
    except Exception:  # the last resort must not fail
        body = (
            "<!DOCTYPE html><html lang='en-gb'><title>Something went wrong</title>"
            "<h1>Sorry, something went wrong</h1><p>Please try again later. "
            "In an emergency call 999.</p></html>"
        )
    return HttpResponseServerError(body)


class ErrorPagesMiddleware:
    """With DEBUG on, answer 400, 404 and 500 with the portal's pages (the handlers above), as
    production does, unless TECHNICAL_ERROR_PAGES is set. (Django already uses the portal's 403
    page in DEBUG.) Does nothing when DEBUG is off: Django calls the handlers itself then."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return bool(settings.DEBUG) and not settings.TECHNICAL_ERROR_PAGES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._active():
            try:
                get_resolver().resolve(request.path_info)
            except Resolver404:
                # No route: Django would answer with its technical 404 before any view runs.
                # The response still passes back through CommonMiddleware (APPEND_SLASH).
                return page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self._active() or isinstance(exception, PermissionDenied):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return bad_request(request, exception)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500},
        )
        return server_error(request)
