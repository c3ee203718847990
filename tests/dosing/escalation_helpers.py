"""Plans and dose histories for the escalation tests, written straight to the dosing tables so
each test controls every due time and outcome (the plan services have their own tests)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from apps.accounts.models import User
from apps.dosing.models import (
    Change,
    DoseOutcome,
    Outcome,
    PlanVersion,
    Schedule,
    ScheduledDose,
    TreatmentPlan,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in London, as an aware datetime."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def make_plan(
    patient: User, clinician: User, *, start: dt.date, days: int = 21, mg: int = 50
) -> TreatmentPlan:
    """An active daily plan (9:00am London) with `days` doses from `start`."""
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
        schedule=Schedule.DAILY,
        supervision_time=dt.time(9),
        effective_from=start,
        treatment_start=start,
        planned_review=start + dt.timedelta(days=90),
        planned_end=start + dt.timedelta(days=400),
        created_by=clinician,
        created_at=local(start, 8),
    )
    ScheduledDose.objects.bulk_create(
        [
            ScheduledDose(
                plan=plan,
                version=version,
                patient=patient,
                due_at=local(start + dt.timedelta(days=n), 9).astimezone(dt.UTC),
                local_date=start + dt.timedelta(days=n),
                tablets=Decimal(mg) / 50,
                mg=mg,
            )
            for n in range(days)
        ]
    )
    return plan


def dose_on(plan: TreatmentPlan, day: dt.date) -> ScheduledDose:
    return ScheduledDose.objects.get(plan=plan, local_date=day)


def record(
    plan: TreatmentPlan,
    day: dt.date,
    outcome: str,
    by: User,
    *,
    at: dt.datetime | None = None,
) -> DoseOutcome:
    dose = dose_on(plan, day)
    at = at or dose.due_at + dt.timedelta(minutes=5)
    taken = outcome in (Outcome.WITNESSED, Outcome.SELF_REPORTED)
    return DoseOutcome.objects.create(
        dose=dose,
        outcome=outcome,
        taken_at=at if taken else None,
        recorded_by=by,
        recorded_at=at,
    )
