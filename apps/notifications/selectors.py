"""Reads about notifications. People only ever see their own: anyone else's is not found (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import User
from apps.notifications.models import Delivery, Notification, NotificationPreference
from apps.notifications.rendering import inapp_text, notification_path

INBOX_LIMIT = 100


@dataclass(frozen=True)
class InboxItem:
    pk: int
    text: str
    url: str
    created_at: datetime
    is_unread: bool
    is_urgent: bool


def notification_list_for(*, user: User) -> list[InboxItem]:
    """The user's newest notifications, ready to show (one query, text from templates)."""
    rows = Notification.objects.filter(recipient=user).only(
        "pk", "kind", "context_ids", "created_at", "read_at", "is_urgent", "recipient_id"
    )[:INBOX_LIMIT]
    return [
        InboxItem(
            pk=n.pk,
            text=inapp_text(n),
            url=notification_path(n),
            created_at=n.created_at,
            is_unread=n.read_at is None,
            is_urgent=n.is_urgent,
        )
        for n in rows
    ]


def notification_get_for(*, user: User, pk: int) -> Notification:
    """One of the user's own notifications, or 404."""
    found = Notification.objects.filter(recipient=user, pk=pk).first()
    if found is None:
        raise Http404
    return found


def unread_count_for(*, user: User) -> int:
    """Unread notifications of the user: one COUNT on a partial index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def failed_deliveries() -> QuerySet[Notification]:
    """Notifications with a failed delivery (the staff admin lists them)."""
    return Notification.objects.filter(deliveries__status="failed").distinct()


def notifications_export(*, patient: User) -> dict[str, Any]:
    """The person's notifications, how each was sent, and their preferences (own download)."""
    deliveries = Delivery.objects.filter(notification__recipient=patient).order_by("created_at")
    by_notification: dict[int, list[dict[str, Any]]] = {}
    for d in deliveries.values("notification_id", "channel", "status", "sent_at"):
        row: dict[str, Any] = dict(d)
        by_notification.setdefault(int(row.pop("notification_id")), []).append(row)
    pref = (
        NotificationPreference.objects.filter(user=patient)
        .values(
            "email_enabled",
            "sms_enabled",
            "sms_number",
            "quiet_start",
            "quiet_end",
            "include_details",
        )
        .first()
    )
    return {
        "preferences": pref,
        "notifications": [
            {
                "kind": n.kind,
                "text": inapp_text(n),
                "created_at": n.created_at,
                "read_at": n.read_at,
                "deliveries": by_notification.get(n.pk, []),
            }
            for n in Notification.objects.filter(recipient=patient).order_by("created_at", "pk")
        ],
    }
