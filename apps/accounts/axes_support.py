"""Tell django-axes which account a sign-in attempt was for. allauth authenticates with
`email=...`, which axes does not read by itself: without this, lockouts would key on the client
address alone and lock out everyone behind the same address."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    for key in ("email", "username", "login"):
        value = (credentials or {}).get(key)
        if value:
            return str(value).strip().lower()
    posted = request.POST.get("login", "") if request.method == "POST" else ""
    return posted.strip().lower() or None
