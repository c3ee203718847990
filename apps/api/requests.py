"""Typed access to the signed-in person of an API request (the view's permission class has
already refused anonymous callers)."""

from __future__ import annotations

from typing import cast

from rest_framework.request import Request

from apps.accounts.models import User


def user_of(request: Request) -> User:
    return cast(User, request.user)
