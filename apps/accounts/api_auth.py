"""API authentication: allauth's app session token (`X-Session-Token`), held to the same rules as
the browser's cookie (accounts/session_rules.py: idle and absolute limits, two-factor sign-in for
clinicians and staff, the safety-message gate). A missing or ended token answers 401, a rule that
needs the person to act in the portal first 403.

Every DRF view authenticates with this class (REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES);
a view that lists its own authentication classes must keep it, or the rules do not apply.
"""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from allauth.headless.internal.sessionkit import authenticate_by_x_session_token
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.request import Request

from apps.accounts.session_rules import Refusal, check_session


class SessionTokenAuthentication(XSessionTokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        token = self.get_session_token(request)
        if not token:
            return None
        found = authenticate_by_x_session_token(token)
        if found is None:
            raise AuthenticationFailed("This session has ended or does not exist.")
        user, session = found
        verdict = check_session(
            user=user, session=session, path=request.path, method=request.method or ""
        )
        if verdict.refusal is Refusal.ENDED:
            session.flush()
            raise AuthenticationFailed(verdict.message, code=verdict.code)
        session.save()
        if verdict.refusal is not None:
            raise PermissionDenied(verdict.message, code=verdict.code)
        return user, session

    def authenticate_header(self, request: Request) -> str:
        return 'X-Session-Token realm="api"'
