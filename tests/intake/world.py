"""World objects for the intake and worklist routes: `patient` has started the questionnaire
and answered PHQ-9 question 9 above 0, so an urgent task exists for `clinician`."""

from __future__ import annotations

from typing import Any

from apps.intake import services
from apps.worklist.models import Task


def build(world: Any) -> None:
    patient = world.personas["patient"]
    phq = {f"phq_{n}": 0 for n in range(1, 10)} | {"phq_9": 1}
    services.questionnaire_step_save(actor=patient, step="phq_9", answers=phq)
    task = Task.objects.get(patient=patient)
    world.url_kwargs.update(
        {"step": "about", "record": "urine-screen", "gate": "liver", "task_id": task.pk}
    )
    world.objects["task"] = task
