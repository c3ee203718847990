"""Per-request rules for signed-in people (session_rules.py: session limits, two-factor sign-in,
gates) and their time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from allauth.headless.internal.sessionkit import authenticate_by_x_session_token
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from apps.accounts.session_rules import Refusal, Verdict, check_session

Handler = Callable[[HttpRequest], HttpResponse]

APP_AUTH_PREFIX = "/_allauth/app/"


def refusal_response(request: HttpRequest, verdict: Verdict, *, api: bool) -> HttpResponse:
    """The answer to a refused request: JSON for apps and the API, a redirect for browsers."""
    if api:
        status = 401 if verdict.refusal is Refusal.ENDED else 403
        return JsonResponse({"detail": verdict.message, "code": verdict.code}, status=status)
    if verdict.refusal is Refusal.ENDED:
        messages.info(
            request, "You were signed out to keep your information safe. Please sign in again."
        )
        return redirect_to_login(request.get_full_path())
    if verdict.refusal is Refusal.MFA_SETUP:
        messages.info(
            request,
            "Before you can see patient records, set up two-factor sign-in with an "
            "authenticator app.",
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    return HttpResponseRedirect(verdict.redirect_to)


class SessionRulesMiddleware:
    """Session limits, two-factor sign-in and the registered gates (session_rules.py) for the
    browser's cookie session, and for app tokens sent to allauth's app endpoints. Tokens sent to
    the API are checked by the same function in the API's authentication class."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith(("/api/", "/_allauth/"))
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            verdict = check_session(
                user=user, session=request.session, path=request.path, method=request.method or ""
            )
            if verdict.refusal is Refusal.ENDED:
                logout(request)
            if verdict.refusal is not None:
                return refusal_response(request, verdict, api=api)
        token = request.headers.get("X-Session-Token")
        if token and request.path.startswith(APP_AUTH_PREFIX):
            found = authenticate_by_x_session_token(token)
            if found is not None:
                token_user, token_session = found
                verdict = check_session(
                    user=token_user,
                    session=token_session,
                    path=request.path,
                    method=request.method or "",
                )
                if verdict.refusal is Refusal.ENDED:
                    token_session.flush()
                    return refusal_response(request, verdict, api=True)
                if token_session.modified:
                    token_session.save()
        response = self.get_response(request)
        # Pages for signed-in people (and every API answer) can hold patient data: no browser,
        # proxy or shared computer may keep a copy.
        if request.user.is_authenticated or api:
            add_never_cache_headers(response)
        return response


class UserTimezoneMiddleware:
    """Show times in the signed-in person's own time zone (stored times are UTC). The API answers
    in UTC ("2026-06-01T08:00:00Z") whoever asks: the app shows them in the person's zone."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        zone = getattr(user, "time_zone", None) if user.is_authenticated else None
        if request.path.startswith("/api/"):
            zone = "UTC"
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone or settings.TIME_ZONE))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
