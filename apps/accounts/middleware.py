"""Per-request rules for signed-in people: session limits, their time zone, and two-factor
sign-in for roles that see many patients' records."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import PRIVILEGED_ROLES

SESSION_STARTED = "portal_started_at"
SESSION_LAST_SEEN = "portal_last_seen_at"

Handler = Callable[[HttpRequest], HttpResponse]


def idle_limit_seconds(role: str) -> int:
    if role in PRIVILEGED_ROLES:
        return int(settings.SESSION_IDLE_SECONDS_STAFF)
    return int(settings.SESSION_IDLE_SECONDS_PATIENT)


class SessionLimitsMiddleware:
    """Sign people out after a quiet spell (30 minutes; 15 for clinicians and staff) and after 12
    hours in all. The session is flushed on the server, not just forgotten by the browser."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            last_seen = request.session.get(SESSION_LAST_SEEN)
            if started is None or last_seen is None:
                request.session[SESSION_STARTED] = now
            else:
                idle = now - float(last_seen)
                total = now - float(started)
                if (
                    idle > idle_limit_seconds(user.role)
                    or total > settings.SESSION_ABSOLUTE_SECONDS
                ):
                    logout(request)
                    if request.path.startswith(("/api/", "/_allauth/")):
                        return JsonResponse({"detail": "Your session has ended."}, status=401)
                    messages.info(
                        request,
                        "You were signed out to keep your information safe. Please sign in again.",
                    )
                    return redirect_to_login(request.get_full_path())
            request.session[SESSION_LAST_SEEN] = now
        response = self.get_response(request)
        # A sign-in during this request starts the clocks (login() gave the session a new key).
        if request.user.is_authenticated and SESSION_STARTED not in request.session:
            now = time.time()
            request.session[SESSION_STARTED] = now
            request.session[SESSION_LAST_SEEN] = now
        return response


class UserTimezoneMiddleware:
    """Show times in the signed-in person's own time zone (stored times are UTC)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        zone = getattr(user, "time_zone", None) if user.is_authenticated else None
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone or settings.TIME_ZONE))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# Paths a clinician or staff member may use before setting up two-factor sign-in.
MFA_SETUP_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/_allauth/")


def has_totp(user_id: int) -> bool:
    return bool(
        Authenticator.objects.filter(user_id=user_id, type=Authenticator.Type.TOTP).exists()
    )


class RequireMfaMiddleware:
    """Clinicians and staff must set up an authenticator app before any patient data is shown."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.role in PRIVILEGED_ROLES
            and not request.path.startswith(MFA_SETUP_ALLOWED_PREFIXES)
            and request.path != "/"
            and not has_totp(user.pk)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Set up two-factor sign-in in the portal first."}, status=403
                )
            messages.info(
                request,
                "Before you can see patient records, set up two-factor sign-in with an "
                "authenticator app.",
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
