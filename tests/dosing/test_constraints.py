"""The invariants the database itself holds (DOMAIN.md sections 3 and 4), written straight to
the tables so that only the constraints stand in the way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.dosing.models import (
    Change,
    DoseOutcome,
    Outcome,
    PlanVersion,
    Schedule,
    ScheduledDose,
    TreatmentPlan,
)

START = dt.date(2026, 3, 2)


@pytest.fixture
def plan(patient, clinician):
    plan = TreatmentPlan.objects.create(
        patient=patient,
        responsible_clinician=clinician,
        indication="opioid",
        goal="Stay well",
        created_by=clinician,
    )
    return plan


def _version(plan, clinician, **extra):
    fields = {
        "plan": plan,
        "number": 1,
        "change": Change.START,
        "schedule": Schedule.DAILY,
        "supervision_time": dt.time(9),
        "effective_from": START,
        "treatment_start": START,
        "planned_review": START + dt.timedelta(days=90),
        "planned_end": START + dt.timedelta(days=365),
        "created_by": clinician,
        "created_at": timezone.now(),
    }
    fields.update(extra)
    return PlanVersion.objects.create(**fields)


def _dose(plan, version, *, day=START, mg=50, hour=9):
    return ScheduledDose.objects.create(
        plan=plan,
        version=version,
        patient=plan.patient,
        due_at=dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC),
        local_date=day,
        tablets=Decimal(mg) / 50,
        mg=mg,
    )


def test_a_dose_above_150_mg_is_refused_by_the_database(plan, clinician):
    version = _version(plan, clinician)
    _dose(plan, version, mg=150)
    with pytest.raises(IntegrityError), transaction.atomic():
        _dose(plan, version, day=START + dt.timedelta(days=1), mg=200)


def test_two_doses_on_one_day_are_refused_by_the_database(plan, clinician):
    version = _version(plan, clinician)
    _dose(plan, version, hour=9)
    with pytest.raises(IntegrityError), transaction.atomic():
        _dose(plan, version, hour=18)


def test_a_plan_shorter_than_12_months_is_refused_by_the_database(plan, clinician):
    with pytest.raises(IntegrityError), transaction.atomic():
        _version(plan, clinician, planned_end=START + dt.timedelta(days=300))


def test_a_patient_has_one_open_plan(plan, patient, clinician):
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentPlan.objects.create(
            patient=patient,
            responsible_clinician=clinician,
            indication="opioid",
            goal="Again",
            created_by=clinician,
        )


def test_a_dose_has_one_current_outcome_and_corrections_supersede(plan, clinician, patient):
    dose = _dose(plan, _version(plan, clinician))
    now = timezone.now()
    first = DoseOutcome.objects.create(
        dose=dose, outcome=Outcome.MISSED, recorded_by=clinician, recorded_at=now
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DoseOutcome.objects.create(
            dose=dose, outcome=Outcome.REFUSED, recorded_by=clinician, recorded_at=now
        )
    DoseOutcome.objects.filter(pk=first.pk).update(is_current=False)
    DoseOutcome.objects.create(
        dose=dose,
        outcome=Outcome.SELF_REPORTED,
        taken_at=now,
        recorded_by=patient,
        recorded_at=now,
        supersedes=first,
    )
    assert dose.outcomes.count() == 2


def test_a_taken_outcome_needs_the_time_it_was_taken(plan, clinician):
    dose = _dose(plan, _version(plan, clinician))
    with pytest.raises(IntegrityError), transaction.atomic():
        DoseOutcome.objects.create(
            dose=dose, outcome=Outcome.WITNESSED, recorded_by=clinician, recorded_at=timezone.now()
        )
