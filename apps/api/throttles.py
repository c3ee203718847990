"""Request limits: per signed-in person, per address for anonymous callers, and a tighter one for
writes (POST and the like), so a broken app cannot flood the clinic's records. Rates are settings
(API_RATE_USER, API_RATE_ANON, API_RATE_WRITE)."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import UserRateThrottle


class WriteRateThrottle(UserRateThrottle):
    scope = "write"

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
