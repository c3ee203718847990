"""Background delivery. Tasks take a delivery id, never content, and are safe to run twice: the
service claims the row before sending, so a duplicate message on the queue does nothing."""

from __future__ import annotations

from celery import shared_task

from apps.notifications import services


# acks_late: a worker that dies mid-task leaves the message for another worker; the claim makes
# the repeat harmless. Retries are the service's job (it re-queues with back-off), not Celery's.
@shared_task(acks_late=True, soft_time_limit=30, time_limit=60, ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    """Send one delivery of a notification."""
    return services.delivery_send(delivery_id=delivery_id)


# Not acks_late: a lost sweep is harmless, the next one runs a minute later.
@shared_task(soft_time_limit=50, time_limit=60, ignore_result=True)
def sweep_deliveries() -> int:
    """Re-queue deliveries left behind (beat, every minute)."""
    return services.deliveries_requeue()
