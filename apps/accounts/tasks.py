"""Background work for accounts. Tasks take ids, load rows, and call one service; they are safe
to run twice. Invitation e-mails go through the notification outbox (apps.notifications)."""

from __future__ import annotations

from celery import shared_task

from apps.accounts import services


@shared_task
def expire_invitations() -> int:
    """Mark invitations past their expiry (beat, hourly)."""
    return services.invitations_expire()
