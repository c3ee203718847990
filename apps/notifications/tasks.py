"""Background delivery. Tasks take a delivery id, never content, and are safe to run twice: the
service claims the row before sending, so a duplicate message on the queue does nothing."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from apps.notifications import services


# acks_late: a worker that dies mid-task leaves the message for another worker; the claim makes
# the repeat harmless. Transport retries are the service's job (it re-queues with back-off over
# a day). Database errors before sending are Celery's: a short back-off (2, 4, 8 ... 30 s, for
# about ten minutes), and the retry takes back the claim its first try made (same task id).
@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=30,
    time_limit=60,
    ignore_result=True,
    autoretry_for=services.DB_TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=30,
    retry_jitter=False,
    max_retries=25,
)
def send_delivery(self: Any, delivery_id: int) -> str:
    """Send one delivery of a notification."""
    return services.delivery_send(delivery_id=delivery_id, token=str(self.request.id or ""))


# Not acks_late: a lost sweep is harmless, the next one runs a minute later.
@shared_task(soft_time_limit=50, time_limit=60, ignore_result=True)
def sweep_deliveries() -> int:
    """Re-queue deliveries left behind (beat, every minute), then note that the sweep ran (the
    operators' health endpoint reads it to tell that beat is alive)."""
    count = services.deliveries_requeue()
    services.heartbeat_record(name=services.SWEEP_HEARTBEAT)
    return count
