"""Dashboard panels: each app contributes what it has to say on a role's dashboard without the
dashboard knowing its models. A provider takes the signed-in user and returns a Panel or None.

Add a provider by appending its dotted path to the role's list below. Each provider owns its
queries (a fixed number, whatever the number of rows) and its template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from apps.accounts.models import User


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Lower comes first; urgent panels use 0.
    order: int = 50


PROVIDERS: dict[str, list[str]] = {
    "patient": [
        "apps.content.panels.overdose_panel_for",
        "apps.intake.panels.patient_next_step",
        "apps.dosing.panels.patient_today",
        "apps.counselling.panels.patient_next_session",
        "apps.content.panels.safety_messages_panel_for",
        "apps.dosing.monitoring.patient_panel",
    ],
    "supervisor": [
        "apps.dosing.panels.supervisor_today",
        "apps.counselling.panels.supervisor_invited",
    ],
    "clinician": [
        "apps.worklist.panels.urgent_tasks",
        "apps.intake.panels.clinician_queue",
        "apps.dosing.panels.clinician_plans",
        "apps.counselling.panels.clinician_today",
    ],
}


@cache
def _providers(role: str) -> list[Callable[[User], Panel | None]]:
    return [import_string(path) for path in PROVIDERS.get(role, [])]


def panels_for(user: User) -> list[Panel]:
    """The panels for this user's dashboard, most urgent first."""
    found = [panel for provider in _providers(user.role) if (panel := provider(user)) is not None]
    return sorted(found, key=lambda p: p.order)
