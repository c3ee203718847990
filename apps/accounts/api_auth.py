"""API authentication: allauth's app session token, answering 401 (not 403) when missing."""

from __future__ import annotations

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from rest_framework.request import Request


class SessionTokenAuthentication(XSessionTokenAuthentication):
    def authenticate_header(self, request: Request) -> str:
        return 'X-Session-Token realm="api"'
