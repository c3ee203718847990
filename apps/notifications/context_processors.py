"""The unread count in the page header: one COUNT query for signed-in people, none otherwise."""

from __future__ import annotations

from django.http import HttpRequest

from apps.notifications.selectors import unread_count_for


def unread(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count_for(user=user)}
