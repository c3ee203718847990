"""Adds a notification for `patient` to the world (for the inbox routes)."""

from __future__ import annotations

from typing import Any

from apps.notifications.services import SWEEP_HEARTBEAT, heartbeat_record, notification_queue


def build(world: Any) -> None:
    notification = notification_queue(
        recipient=world.personas["patient"], kind="portal_update", event_key="world:1"
    )
    world.objects["notification"] = notification
    world.url_kwargs["notification_id"] = notification.pk
    heartbeat_record(name=SWEEP_HEARTBEAT)  # beat is alive: the health endpoint answers 200
