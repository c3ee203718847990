"""Helpers for dosing tests: an eligible patient with everything the first dose needs, a plan,
and a started plan (first dose witnessed at the clinic)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from apps.content.models import SafetyMessageVersion
from apps.content.selectors import safety_version_current
from apps.content.services import safety_acknowledge
from apps.dosing import services
from apps.dosing.models import ScheduledDose
from apps.intake import services as intake_services
from tests.intake.conftest import fill, record_clean_tests

# Monday 1 June 2026, 08:00 in London (07:00 UTC): before a 9:00am dose.
NOW = dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clock(_clock):
    return _clock


def make_eligible(patient, clinician) -> None:
    fill(patient)
    record_clean_tests(clinician, patient)
    intake_services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    acknowledge_current_safety(patient)
    services.naloxone_kit_record(
        actor=patient, patient=patient, expires_on=TODAY + dt.timedelta(days=300)
    )


def acknowledge_current_safety(patient) -> None:
    """The shipped safety messages (published when the test database was made). A test on real
    threads runs after others that empty the database (transactional tests flush it, shipped
    rows included), so it publishes a version of its own when none is left."""
    version = safety_version_current()
    if version is None:
        version = SafetyMessageVersion.objects.create(
            version="test", messages=[], is_published=True, published_at=timezone.now()
        )
    safety_acknowledge(actor=patient, version=version)


def plan_in(*, start=TODAY, schedule="daily", at=dt.time(9), supervisors=(), clinic=False):
    return services.PlanIn(
        goal="Stay off heroin and keep my job",
        treatment_start=start,
        planned_review=start + dt.timedelta(days=90),
        planned_end=services.add_months(start, 12),
        schedule=services.ScheduleIn(
            schedule=schedule,
            supervision_time=at,
            effective_from=start,
            supervisor_ids=tuple(s.pk for s in supervisors),
            clinic_supervision=clinic,
        ),
    )


@pytest.fixture
def eligible(patient, clinician, consent):
    make_eligible(patient, clinician)
    return patient


@pytest.fixture
def plan(eligible, clinician, supervisor):
    return services.plan_create(
        actor=clinician, patient=eligible, data=plan_in(supervisors=[supervisor])
    )


def dose_on(plan, day):
    return ScheduledDose.objects.get(plan=plan, local_date=day)


@pytest.fixture
def started(plan, clinician, clock):
    """The 25 mg first dose witnessed at the clinic at 9:05am on day one."""
    clock.move_to(dt.datetime(2026, 6, 1, 8, 5, tzinfo=dt.UTC))
    services.dose_outcome_record(actor=clinician, dose=dose_on(plan, TODAY), outcome="witnessed")
    return plan
