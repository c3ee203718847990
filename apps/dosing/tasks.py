"""Background work for dosing. Tasks call one service and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from apps.dosing import services


@shared_task
def fill_scheduled_doses() -> int:
    """Schedule every active plan's doses for the rolling window (beat, hourly). Idempotent."""
    return services.doses_fill_ahead()
