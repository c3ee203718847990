"""Re-acknowledgement at sign-in: when a patient signs in and has not acknowledged the current
safety messages (a first sign-in, or staff have published a new version since), every page sends
them to the safety messages first. Acknowledging clears the flag.

The check runs once per sign-in (allauth's `user_logged_in` signal), so ordinary page views
cost nothing extra; the dashboard panel and the first-dose gate check on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from apps.accounts.roles import Role
from apps.content import selectors

SESSION_KEY = "content_safety_ack_due"

# Paths a patient can still use before acknowledging (besides the messages themselves): signing
# out and account pages, the public help pages, and files the page needs.
ALLOWED_PREFIXES = (
    "/accounts/",
    "/help/",
    "/static/",
    "/theme.css",
    "/healthz/",
    "/_allauth/",
    "/api/",
)

Handler = Callable[[HttpRequest], HttpResponse]


def mark_acknowledgement_due(*, request: HttpRequest, user: Any, **_: Any) -> None:
    """Receiver for allauth's `user_logged_in`: flag the session if the patient has not
    acknowledged the current safety messages."""
    if getattr(user, "role", None) != Role.PATIENT:
        return
    status = selectors.safety_status_for(patient_id=user.pk)
    if status is not None and not status.acknowledged:
        request.session[SESSION_KEY] = True


def clear_acknowledgement_due(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


class SafetyAcknowledgementMiddleware:
    """Send a flagged patient to the safety messages before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SESSION_KEY)
            and request.user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and request.path != reverse("content:safety-acknowledge")
        ):
            if getattr(
                request.user, "role", None
            ) != Role.PATIENT or selectors.has_acknowledged_current_safety(
                patient_id=request.user.pk
            ):
                clear_acknowledgement_due(request)
            else:
                target = reverse("content:safety-acknowledge")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)
