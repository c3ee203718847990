"""The leaflet's cadence: due dates from the treatment start, the clinician's own cadence per
patient, the patient's nudge, and one worklist task per overdue due date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.clinic.models import ClinicSettings
from apps.counselling import selectors, services
from apps.counselling.cadence import Cadence, next_due
from apps.worklist.models import Task
from tests.counselling.conftest import make_eligible

START = dt.date(2026, 1, 5)
LEAFLET = Cadence(first_month_sessions=2, interval_days=56, months=6)


def d(days: int) -> dt.date:
    return START + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("sessions", "due"),
    [
        ([], d(14)),  # first of two in the first month
        ([d(3)], d(28)),  # second of two
        ([d(3), d(20)], d(76)),  # then within 56 days of the last
        ([d(3), d(20), d(70)], d(126)),
        ([d(3), d(20), d(70), d(126)], d(182)),  # month six ends on day 182 (6 x 365 / 12)
        ([d(3), d(20), d(70), d(127)], None),  # day 183 is past month six: no more due
        ([d(3), d(20), d(70), d(120)], d(176)),
        ([d(-10)], d(14)),  # a session before the start does not count
    ],
)
def test_leaflet_due_dates(sessions, due):
    assert next_due(start=START, sessions=sessions, cadence=LEAFLET) == due


def test_three_sessions_in_the_first_month_when_the_clinician_asks():
    cadence = Cadence(first_month_sessions=3, interval_days=28, months=6)
    assert next_due(start=START, sessions=[], cadence=cadence) == d(9)
    assert next_due(start=START, sessions=[d(1), d(9)], cadence=cadence) == d(27)
    assert next_due(start=START, sessions=[d(1), d(9), d(20)], cadence=cadence) == d(48)


def test_the_cadence_starts_at_the_intake_decision_until_a_plan_exists(patient, clinician):
    assert selectors.cadence_start_for(patient) is None
    make_eligible(patient, clinician)
    assert selectors.cadence_start_for(patient) == timezone.localdate()
    info = selectors.due_for(patient)
    assert info is not None
    assert info.due_by == timezone.localdate() + dt.timedelta(days=14)


def test_the_clinician_sets_another_cadence_for_the_patient(patient, clinician, other_clinician):
    make_eligible(patient, clinician)
    services.plan_update(
        actor=clinician,
        patient=patient,
        first_month_sessions=4,
        interval_days=None,
        months=None,
        outside_counsellor_name="Alex at Step Forward",
        outside_counsellor_contact="01234 567890",
    )
    info = selectors.due_for(patient)
    assert info is not None
    assert info.due_by == timezone.localdate() + dt.timedelta(days=7)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.plan_update(
            actor=other_clinician,
            patient=patient,
            first_month_sessions=None,
            interval_days=None,
            months=None,
            outside_counsellor_name="",
            outside_counsellor_contact="",
        )


def test_the_clinic_default_cadence_is_a_setting(patient, clinician):
    ClinicSettings.objects.create(cadence_first_month_sessions=3)
    make_eligible(patient, clinician)
    info = selectors.due_for(patient)
    assert info is not None
    assert info.due_by == timezone.localdate() + dt.timedelta(days=9)


def test_the_patient_sees_the_due_by_nudge_with_a_book_button(client, patient, clinician):
    make_eligible(patient, clinician)
    client.force_login(patient)
    response = client.get(reverse("core:patient-dashboard"))
    due = timezone.localdate() + dt.timedelta(days=14)
    assert f"due by <strong>{due:%A} {due.day} {due:%B}</strong>" in response.content.decode()
    assert reverse("counselling:slot-list").encode() in response.content


def test_an_overdue_session_raises_one_worklist_task(patient, clinician):
    make_eligible(patient, clinician)
    later = timezone.now() + dt.timedelta(days=16)
    assert services.overdue_tasks_raise(now=later) == 1
    assert services.overdue_tasks_raise(now=later + dt.timedelta(hours=1)) == 0
    task = Task.objects.get(kind="counselling.overdue")
    assert task.assignee == clinician
    assert task.trigger_key.startswith("due:")
    with time_machine.travel(later, tick=False):
        overdue = selectors.overdue_patients_for(user=clinician)
    assert [p for p, _info in overdue] == [patient]


def test_nobody_is_overdue_before_the_due_date(patient, clinician):
    make_eligible(patient, clinician)
    assert services.overdue_tasks_raise(now=timezone.now() + dt.timedelta(days=13)) == 0
