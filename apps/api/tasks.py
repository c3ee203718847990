"""Background work for the API: the hourly purge of stored Idempotency-Key answers."""

from __future__ import annotations

from celery import shared_task

from apps.api import services


@shared_task(ignore_result=True)
def purge_idempotency_keys() -> int:
    return services.idempotent_requests_purge()
