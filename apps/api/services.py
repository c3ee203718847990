"""Writes of the API's own rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.api.models import IdempotentRequest


@transaction.atomic
def idempotent_requests_purge(*, now: datetime | None = None) -> int:
    """Forget stored answers older than IDEMPOTENCY_KEEP_HOURS (an app retries within minutes;
    the rows hold answers about patients, so they are not kept longer than needed)."""
    cut_off = (now or timezone.now()) - timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cut_off).delete()
    return deleted
