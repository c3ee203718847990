"""World objects for the API routes: the alert the escalation world's concern raised for
`patient` (their clinician's to acknowledge)."""

from __future__ import annotations

from typing import Any

from apps.dosing.escalation_models import Alert


def build(world: Any) -> None:
    alert = Alert.objects.get(patient=world.personas["patient"], rule="tier3_concern")
    world.url_kwargs["alert_id"] = alert.pk
    world.objects["alert"] = alert
