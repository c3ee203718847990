"""Typing helpers shared by every app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from apps.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request whose user has signed in (views behind @role_required)."""

    user: User
    htmx: HtmxDetails  # set by django_htmx's middleware: truthy when htmx made the request
