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

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from apps.accounts.roles import PRIVILEGED_ROLES

SESSION_STARTED = "portal_started_at"
SESSION_LAST_SEEN = "portal_last_seen_at"

# Paths a clinician or staff member may use before setting up two-factor sign-in.
MFA_SETUP_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/_allauth/")

# The session row (a database write) records "last seen" at most once a minute; every request also
# notes its time in the cache, and the idle limit counts from the later of the two. So the limit is
# exact where the cache is shared (Redis), and where it is not (one process's memory) a session may
# end up to this many seconds early, never late.
LAST_SEEN_WRITE_SECONDS = 60
SEEN_CACHE_PREFIX = "session-seen:"
# Whether a clinician or staff member has an authenticator app (has_totp), per person.
TOTP_CACHE_PREFIX = "has-totp:"
TOTP_CACHE_SECONDS = 300

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


def _totp_key(user_id: int) -> str:
    return f"{TOTP_CACHE_PREFIX}{user_id}"


def has_totp(user_id: int) -> bool:
    """Whether this person has an authenticator app set up. Asked on every request by a
    clinician or staff member, so the answer is kept in the cache under their own id (it says
    nothing about anyone else), forgotten whenever one of their authenticators is saved or
    deleted (and again after that commits), and at most TOTP_CACHE_SECONDS old otherwise."""
    key = _totp_key(user_id)
    known = cache.get(key)
    if known is not None:
        return bool(known)
    found = bool(
        Authenticator.objects.filter(user_id=user_id, type=Authenticator.Type.TOTP).exists()
    )
    cache.set(key, found, timeout=TOTP_CACHE_SECONDS)
    return found


@receiver(post_save, sender=Authenticator, dispatch_uid="accounts_totp_saved")
@receiver(post_delete, sender=Authenticator, dispatch_uid="accounts_totp_deleted")
def _forget_totp(*, instance: Authenticator, **_: Any) -> None:
    # Now (this process's later reads) and after the commit (a read by another request in
    # between would have put the old answer back).
    key = _totp_key(instance.user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def start_clocks(session: SessionBase) -> None:
    now = time.time()
    session[SESSION_STARTED] = now
    session[SESSION_LAST_SEEN] = now


def _seen_key(session: SessionBase) -> str | None:
    key = session.session_key
    if not key:
        return None
    # A digest, so the cache never holds a usable session key.
    return SEEN_CACHE_PREFIX + hashlib.sha256(key.encode()).hexdigest()


def _last_seen(session: SessionBase, recorded: float) -> float:
    key = _seen_key(session)
    noted = cache.get(key) if key else None
    return max(recorded, float(noted)) if noted is not None else recorded


def _mark_seen(session: SessionBase, last_recorded: float, now: float) -> None:
    if now - last_recorded >= LAST_SEEN_WRITE_SECONDS:
        session[SESSION_LAST_SEEN] = now
    key = _seen_key(session)
    if key:
        cache.set(key, now, timeout=int(settings.SESSION_ABSOLUTE_SECONDS))


@receiver(user_logged_in, dispatch_uid="accounts_session_clocks")
def _start_clocks_at_sign_in(*, request: HttpRequest | None, **_: Any) -> None:
    # Django's login() sends this for cookie and app sign-ins alike; for an app sign-in allauth
    # has already put the token's session on the request.
    session = getattr(request, "session", None)
    if session is not None:
        start_clocks(session)


def check_session(*, user: Any, session: SessionBase, path: str, method: str = "GET") -> Verdict:
    """Apply the rules to one request by a signed-in user. Marks the session as seen: in the cache
    on every request, in the session itself (which the caller saves: Django does for cookies, the
    token authentication does for tokens) only when a minute has passed. On ENDED the
    caller deletes the session."""
    now = time.time()
    started = session.get(SESSION_STARTED)
    last_seen = session.get(SESSION_LAST_SEEN)
    if started is None or last_seen is None:
        start_clocks(session)
    elif (
        now - _last_seen(session, float(last_seen)) > idle_limit_seconds(user.role)
        or now - float(started) > settings.SESSION_ABSOLUTE_SECONDS
    ):
        return Verdict(Refusal.ENDED, code=Refusal.ENDED, message=ENDED_MESSAGE)
    else:
        _mark_seen(session, float(last_seen), now)

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
