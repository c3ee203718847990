"""World objects for the clinic routes: `clinician` is a clinical lead (set by `staff`), so the
thresholds page opens for them; `other_clinician` is not a lead."""

from __future__ import annotations

from typing import Any

from apps.accounts.services import clinical_lead_set


def build(world: Any) -> None:
    lead = clinical_lead_set(
        actor=world.personas["staff"], user=world.personas["clinician"], is_lead=True
    )
    world.personas["clinician"] = lead
