"""World objects for the escalation routes: `supervisor` has raised a concern about `patient`,
so an urgent concern task exists for `clinician`."""

from __future__ import annotations

from typing import Any

from apps.dosing.concerns import concern_raise


def build(world: Any) -> None:
    concern = concern_raise(
        actor=world.personas["supervisor"],
        patient=world.personas["patient"],
        what_seen="Seemed very tired at the dose today.",
        worry="quite",
    )
    world.url_kwargs["urgent_task_id"] = concern.task_id
    world.objects["concern"] = concern
