"""Escalation tasks: the periodic sweep and the delivery of one alert. Ids only, never text;
both are safe to run twice (apps/dosing/escalation.py)."""

from __future__ import annotations

from celery import shared_task

from apps.dosing import escalation, monitoring


# Not acks_late: a lost sweep is harmless, the next one runs five minutes later.
@shared_task(soft_time_limit=50, time_limit=60, ignore_result=True)
def sweep_escalation() -> int:
    """Apply the missed-dose rules to every active plan (beat, every 5 minutes)."""
    return escalation.escalation_sweep().alerts_created


@shared_task(acks_late=True, soft_time_limit=30, time_limit=60, ignore_result=True)
def deliver_alert(alert_id: int) -> int:
    """Queue one alert's notifications and raise its worklist task (once)."""
    return escalation.alert_deliver(alert_id=alert_id).pk


@shared_task(soft_time_limit=50, time_limit=60, ignore_result=True)
def sweep_monitoring() -> int:
    """Raise tasks for liver tests due or raised (beat, every 6 hours)."""
    return monitoring.monitoring_sweep()
