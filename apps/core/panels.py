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
    # Lower comes first; urgent panels use 0. On the clinician's dashboard, panels below
    # LATER make the day's worklist and the rest follow it.
    order: int = 50


LATER = 80


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
        "apps.dosing.panels.clinician_treatment",
        "apps.counselling.panels.clinician_today",
    ],
}


# A provider gives one panel, none, or several (when one read serves panels in different
# places, such as the worklist's "unprotected now" and the caseload table below it).
Provider = Callable[["User"], "Panel | list[Panel] | None"]


@cache
def _providers(role: str) -> list[Provider]:
    return [import_string(path) for path in PROVIDERS.get(role, [])]


def panels_for(user: User) -> list[Panel]:
    """The panels for this user's dashboard, most urgent first."""
    found: list[Panel] = []
    for provider in _providers(user.role):
        given = provider(user)
        if isinstance(given, Panel):
            found.append(given)
        elif given:
            found.extend(given)
    return sorted(found, key=lambda p: p.order)
