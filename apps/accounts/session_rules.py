"""The rules every signed-in request obeys, whether it carries the browser's session cookie or an
app's `X-Session-Token` (allauth headless): one function, `check_session`, asked by

- `SessionRulesMiddleware` (accounts/middleware.py) for cookie sessions, and for tokens sent to
  allauth's own app endpoints (`/_allauth/app/...`), and
- `apps.accounts.api_auth.SessionTokenAuthentication`, the DRF authentication class, for tokens
  sent to the API (DRF authenticates tokens inside the view, after the middleware has run).

The rules, in order:
1. Session limits: signed out after 30 quiet minutes (15 for clinicians and staff) and after 12
   hours in all. The session is deleted on the server, so the cookie or token stops working.
2. Two-factor sign-in: clinicians and staff without an authenticator app see no patient data
   (only the pages that set one up).
3. Gates registered by feature apps (`register_gate`): today the content app's safety messages,
   which a patient acknowledges before anything else after signing in.

Feature apps register gates instead of being imported here, so the ground does not import features.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django.http import HttpRequest

from apps.accounts.roles import PRIVILEGED_ROLES

SESSION_STARTED = "portal_started_at"
SESSION_LAST_SEEN = "portal_last_seen_at"

# Paths a clinician or staff member may use before setting up two-factor sign-in.
MFA_SETUP_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/_allauth/")

ENDED_MESSAGE = "Your session has ended. Please sign in again."
MFA_MESSAGE = "Set up two-factor sign-in in the portal first."


class Refusal(StrEnum):
    ENDED = "session_ended"
    MFA_SETUP = "mfa_setup_required"
    GATE = "gate"


@dataclass(frozen=True)
class Verdict:
    """What to do with this request: `refusal` is None when it may go on. A gate names where a
    browser should be sent, a code and a message for the API."""

    refusal: Refusal | None = None
    redirect_to: str = ""
    code: str = ""
    message: str = ""


@dataclass(frozen=True)
class GateStop:
    redirect_to: str
    code: str
    message: str


# A gate looks at the signed-in user, their session, the path and the method, and returns where
# to send them (and what to tell an app), or None to let the request through.
Gate = Callable[[Any, SessionBase, str, str], GateStop | None]
_GATES: list[Gate] = []


def register_gate(gate: Gate) -> None:
    """Add a gate (idempotent). Called from a feature app's AppConfig.ready()."""
    if gate not in _GATES:
        _GATES.append(gate)


def idle_limit_seconds(role: str) -> int:
    if role in PRIVILEGED_ROLES:
        return int(settings.SESSION_IDLE_SECONDS_STAFF)
    return int(settings.SESSION_IDLE_SECONDS_PATIENT)


def has_totp(user_id: int) -> bool:
    return bool(
        Authenticator.objects.filter(user_id=user_id, type=Authenticator.Type.TOTP).exists()
    )


def start_clocks(session: SessionBase) -> None:
    now = time.time()
    session[SESSION_STARTED] = now
    session[SESSION_LAST_SEEN] = now


@receiver(user_logged_in, dispatch_uid="accounts_session_clocks")
def _start_clocks_at_sign_in(*, request: HttpRequest | None, **_: Any) -> None:
    # Django's login() sends this for cookie and app sign-ins alike; for an app sign-in allauth
    # has already put the token's session on the request.
    session = getattr(request, "session", None)
    if session is not None:
        start_clocks(session)


def check_session(*, user: Any, session: SessionBase, path: str, method: str = "GET") -> Verdict:
    """Apply the rules to one request by a signed-in user. Marks the session as seen (the caller
    saves it: Django does for cookies, the token authentication does for tokens). On ENDED the
    caller deletes the session."""
    now = time.time()
    started = session.get(SESSION_STARTED)
    last_seen = session.get(SESSION_LAST_SEEN)
    if started is None or last_seen is None:
        start_clocks(session)
    elif (
        now - float(last_seen) > idle_limit_seconds(user.role)
        or now - float(started) > settings.SESSION_ABSOLUTE_SECONDS
    ):
        return Verdict(Refusal.ENDED, code=Refusal.ENDED, message=ENDED_MESSAGE)
    else:
        session[SESSION_LAST_SEEN] = now

    if (
        user.role in PRIVILEGED_ROLES
        and not path.startswith(MFA_SETUP_ALLOWED_PREFIXES)
        and path != "/"
        and not has_totp(user.pk)
    ):
        return Verdict(Refusal.MFA_SETUP, code=Refusal.MFA_SETUP, message=MFA_MESSAGE)

    for gate in _GATES:
        stop = gate(user, session, path, method)
        if stop is not None:
            return Verdict(Refusal.GATE, stop.redirect_to, stop.code, stop.message)
    return Verdict()
