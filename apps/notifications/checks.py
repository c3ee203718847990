"""System checks: the delivery timings must fit together, or Redis could hand a delayed task
to a second worker, or the sweep could take a delivery from a worker that is still sending; and
a production deployment must have a queue that its workers can reach."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def delivery_timings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    visibility = options.get("visibility_timeout")
    if isinstance(visibility, int) and visibility <= settings.NOTIFICATIONS_RETRY_MAX_SECONDS:
        errors.append(
            Error(
                "CELERY_VISIBILITY_TIMEOUT must be longer than NOTIFICATIONS_RETRY_MAX_SECONDS.",
                id="notifications.E001",
            )
        )
    from apps.notifications.tasks import send_delivery

    hard_limit = int(send_delivery.time_limit or 0)
    if settings.NOTIFICATIONS_STALE_CLAIM_SECONDS <= hard_limit:  # noqa: SIM300 - reads as the rule
        errors.append(
            Error(
                "NOTIFICATIONS_STALE_CLAIM_SECONDS must be longer than the send task's time limit "
                f"({hard_limit} s).",
                id="notifications.E002",
            )
        )
    return errors


@register()
def broker_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Without REDIS_URL the queue is a folder on this machine: in a deployment of several
    containers the web side would write to a folder no worker reads, and nothing would be sent
    or reported. Refused outside development unless SINGLE_MACHINE says this is on purpose."""
    if settings.DEBUG or settings.REDIS_URL or settings.SINGLE_MACHINE:
        return []
    return [
        Error(
            "REDIS_URL is not set, so tasks would go to a folder on this machine "
            f"({settings.CELERY_DATA_DIR}) and the cache would live in each process.",
            hint=(
                "Set REDIS_URL. If the web server and the worker really run on one machine and "
                "share that folder, set SINGLE_MACHINE=true."
            ),
            id="notifications.E003",
        )
    ]
