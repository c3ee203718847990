"""World objects for the dosing routes: `patient` has a treatment plan supervised by
`supervisor`, with today's dose not yet recorded; `other_patient` has a plan too. Made straight
in the tables because the intake world keeps `patient` mid-questionnaire (a plan through the
services needs an eligible patient; tests/dosing covers that path)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from apps.dosing import selectors, services
from apps.dosing.models import Change, DoseOutcome, PlanVersion, ScheduledDose, TreatmentPlan


def make_plan(patient: Any, clinician: Any, supervisor: Any) -> TreatmentPlan:
    today = selectors.patient_today(patient)
    plan = TreatmentPlan.objects.create(
        patient=patient,
        responsible_clinician=clinician,
        indication="opioid",
        goal="Stay well",
        created_by=clinician,
    )
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        change=Change.START,
        schedule="daily",
        induction_first=True,
        supervision_time=dt.time(9),
        time_zone=patient.time_zone,
        effective_from=today,
        treatment_start=today,
        planned_review=services.add_months(today, 3),
        planned_end=services.add_months(today, 12),
        created_by=clinician,
        created_at=timezone.now(),
    )
    version.supervisors.set([supervisor])
    services._fill(version, today=today, days_ahead=7)
    return plan


def build(world: Any) -> None:
    p = world.personas
    plan = make_plan(p["patient"], p["clinician"], p["supervisor"])
    make_plan(p["other_patient"], p["other_clinician"], p["stray_supervisor"])
    today = selectors.patient_today(p["patient"])
    dose = ScheduledDose.objects.get(plan=plan, local_date=today)
    # A record to correct, on tomorrow's dose (today's stays open for the record page).
    later = ScheduledDose.objects.get(plan=plan, local_date=today + dt.timedelta(days=1))
    outcome = DoseOutcome.objects.create(
        dose=later, outcome="missed", recorded_by=p["clinician"], recorded_at=timezone.now()
    )
    world.url_kwargs.update(
        {"plan_id": plan.pk, "dose_id": dose.pk, "change": "schedule", "outcome_id": outcome.pk}
    )
    world.objects.update({"plan": plan, "dose": dose, "outcome": outcome})
