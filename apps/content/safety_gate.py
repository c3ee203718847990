"""Re-acknowledgement at sign-in: when a patient signs in and has not acknowledged the current
safety messages (a first sign-in, or staff have published a new version since), every page sends
them to the safety messages first. Acknowledging clears the flag.

The check runs once per sign-in (allauth's `user_logged_in` signal), so ordinary page views
cost nothing extra; the dashboard panel and the first-dose gate check on their own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.session_rules import GateStop
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
)

# API paths a flagged patient's app may still use: who am I, and the safety messages themselves
# (the API's safety endpoints go here when they are added).
API_ALLOWED_PREFIXES = ("/api/v1/me/", "/api/v1/safety/", "/api/schema/")

ACK_CODE = "safety_acknowledgement_required"
ACK_MESSAGE = "Read and acknowledge the safety messages in the portal first."


def mark_acknowledgement_due(*, request: HttpRequest, user: Any, **_: Any) -> None:
    """Receiver for allauth's `user_logged_in`: flag the session if the patient has not
    acknowledged the current safety messages. For an app sign-in the session is the token's."""
    if getattr(user, "role", None) != Role.PATIENT:
        return
    status = selectors.safety_status_for(patient_id=user.pk)
    if status is not None and not status.acknowledged:
        request.session[SESSION_KEY] = True


def clear_acknowledgement_due(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def safety_gate(user: Any, session: SessionBase, path: str, method: str) -> GateStop | None:
    """A gate for accounts.session_rules: send a flagged patient to the safety messages before
    anything else, in the browser and in the app alike."""
    if not session.get(SESSION_KEY):
        return None
    ack_path = reverse("content:safety-acknowledge")
    if path == ack_path or path.startswith(ALLOWED_PREFIXES):
        return None
    if path.startswith("/api/") and path.startswith(API_ALLOWED_PREFIXES):
        return None
    if getattr(user, "role", None) != Role.PATIENT or selectors.has_acknowledged_current_safety(
        patient_id=user.pk
    ):
        session.pop(SESSION_KEY, None)
        return None
    target = ack_path
    if method == "GET" and not path.startswith("/api/"):
        target += "?" + urlencode({"next": path})
    return GateStop(redirect_to=target, code=ACK_CODE, message=ACK_MESSAGE)
