"""Background work: reminders and overdue-session tasks. Each task calls one service and is safe
to run twice (the services stamp rows and the outbox and worklist keys are unique)."""

from __future__ import annotations

from celery import shared_task

from apps.counselling import services


@shared_task(soft_time_limit=50, time_limit=60, ignore_result=True)
def queue_appointment_reminders() -> int:
    """Queue the reminders now due (beat, every five minutes)."""
    return services.reminders_queue()


@shared_task(soft_time_limit=240, time_limit=300, ignore_result=True)
def raise_overdue_session_tasks() -> int:
    """Raise worklist tasks for overdue counselling sessions (beat, hourly)."""
    return services.overdue_tasks_raise()
