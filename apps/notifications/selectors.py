"""Reads about notifications. People only ever see their own: anyone else's is not found (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import User
from apps.notifications.models import Delivery, Notification, NotificationPreference
from apps.notifications.rendering import inapp_text, inbox_words_for, notification_path

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
    """The user's newest notifications, ready to show: one query for the rows, then one per kind
    that names a person or task (`Kind.inbox`), never one per row."""
    rows = list(
        Notification.objects.filter(recipient=user).only(
            "pk", "kind", "context_ids", "created_at", "read_at", "is_urgent", "recipient_id"
        )[:INBOX_LIMIT]
    )
    words = inbox_words_for(rows, user)
    return [
        InboxItem(
            pk=n.pk,
            text=words[n.pk].text if n.pk in words else inapp_text(n),
            url=(words[n.pk].url if n.pk in words else "") or notification_path(n),
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


# --- Operators' health --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryHealth:
    oldest_waiting_seconds: int  # the oldest due delivery not yet sent (0: none waiting)
    failed_last_day: int
    last_sweep_at: datetime | None
    last_sweep_seconds: int | None
    beat_alive: bool
    problems: tuple[str, ...]

    @property
    def healthy(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ok" if self.healthy else "failing",
            "problems": list(self.problems),
            "oldest_waiting_seconds": self.oldest_waiting_seconds,
            "failed_last_day": self.failed_last_day,
            "last_sweep_at": self.last_sweep_at.isoformat() if self.last_sweep_at else None,
            "last_sweep_seconds": self.last_sweep_seconds,
            "beat_alive": self.beat_alive,
        }


def delivery_health(*, now: datetime | None = None) -> DeliveryHealth:
    """Counts only, no content: for operators' monitoring (three small queries). Beat is alive
    when the sweep it starts every minute has run recently (a dead worker looks the same, and
    needs the same attention)."""
    from django.conf import settings
    from django.db.models import Min
    from django.utils import timezone

    from apps.notifications.models import Delivery, Heartbeat

    now = now or timezone.now()
    oldest = Delivery.objects.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING], not_before__lte=now
    ).aggregate(oldest=Min("not_before"))["oldest"]
    waiting = max(0, int((now - oldest).total_seconds())) if oldest else 0
    failed = Delivery.objects.filter(
        status=Delivery.Status.FAILED, updated_at__gte=now - timedelta(days=1)
    ).count()
    beat = Heartbeat.objects.filter(name="sweep").values_list("at", flat=True).first()
    sweep_age = max(0, int((now - beat).total_seconds())) if beat else None
    beat_alive = sweep_age is not None and sweep_age <= settings.HEALTH_MAX_SWEEP_AGE_SECONDS
    problems = []
    if waiting > settings.HEALTH_MAX_WAITING_SECONDS:
        problems.append("deliveries_waiting")
    if failed > settings.HEALTH_MAX_FAILED_PER_DAY:
        problems.append("deliveries_failed")
    if not beat_alive:
        problems.append("sweep_not_running")
    return DeliveryHealth(
        oldest_waiting_seconds=waiting,
        failed_last_day=failed,
        last_sweep_at=beat,
        last_sweep_seconds=sweep_age,
        beat_alive=beat_alive,
        problems=tuple(problems),
    )


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
