"""Monitoring during treatment (DOMAIN.md section 7): liver tests at 1 and 3 months then every
6, a raised result, and what the patient sees next."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.clinic.selectors import clinic_settings_get
from apps.dosing import monitoring
from apps.intake.models import LiverFunctionTest
from apps.worklist.models import Task
from tests.dosing.escalation_helpers import make_plan

START = dt.date(2026, 1, 15)


def lft(patient, clinician, taken_on, *, alt=30, uln=40):
    return LiverFunctionTest.objects.create(
        patient=patient,
        taken_on=taken_on,
        alt=alt,
        alt_uln=uln,
        ast=20,
        ast_uln=40,
        bilirubin=10,
        recorded_by=clinician,
    )


@pytest.mark.django_db
def test_liver_checkpoints_are_1_and_3_months_then_every_6():
    clinic = clinic_settings_get()
    points = monitoring.liver_checkpoints(START, clinic, until=dt.date(2027, 2, 1))
    assert points[:4] == [
        dt.date(2026, 2, 15),
        dt.date(2026, 4, 15),
        dt.date(2026, 10, 15),
        dt.date(2027, 4, 15),
    ]


@pytest.mark.parametrize(
    ("today", "raised"),
    [(dt.date(2026, 2, 14), False), (dt.date(2026, 2, 15), True)],
)
def test_a_liver_test_due_and_not_done_raises_a_task_on_its_day(patient, clinician, today, raised):
    make_plan(patient, clinician, start=START)
    lft(patient, clinician, START - dt.timedelta(days=10))  # baseline at intake
    monitoring.monitoring_sweep(today=today)
    assert Task.objects.filter(kind="dosing.liver_due").exists() is raised
    monitoring.monitoring_sweep(today=today)  # again: still one
    assert Task.objects.filter(kind="dosing.liver_due").count() == int(raised)


def test_a_test_shortly_before_the_checkpoint_covers_it(patient, clinician):
    make_plan(patient, clinician, start=START)
    lft(patient, clinician, dt.date(2026, 2, 5))
    monitoring.monitoring_sweep(today=dt.date(2026, 2, 20))
    assert not Task.objects.filter(kind="dosing.liver_due").exists()


@pytest.mark.parametrize(("alt", "raised"), [(120, False), (121, True)])
def test_a_result_above_three_times_the_upper_limit_raises_a_task(patient, clinician, alt, raised):
    make_plan(patient, clinician, start=START)
    lft(patient, clinician, dt.date(2026, 2, 14), alt=alt, uln=40)
    monitoring.monitoring_sweep(today=dt.date(2026, 2, 16))
    assert Task.objects.filter(kind="dosing.liver_raised").exists() is raised


def test_the_patient_sees_next_monitoring_due(client, patient, clinician):
    make_plan(patient, clinician, start=START)
    items = monitoring.monitoring_due_for(patient=patient, today=dt.date(2026, 1, 20))
    assert [(i.label, i.on) for i in items] == [
        ("Urine drug screen", dt.date(2026, 2, 12)),
        ("Liver blood test", dt.date(2026, 2, 15)),
        ("Mood questions (PHQ-9 and GAD-7)", dt.date(2026, 2, 15)),
        ("Treatment review with your clinician", START + dt.timedelta(days=90)),
    ]
    client.force_login(patient)
    from django.urls import reverse

    body = client.get(reverse("core:patient-dashboard")).content.decode()
    assert "Next monitoring due" in body


def test_results_appear_on_the_clinicians_timeline(patient, clinician):
    from apps.dosing.selectors import timeline_for

    make_plan(patient, clinician, start=START)
    lft(patient, clinician, dt.date(2026, 2, 14), alt=130, uln=40)
    _patient, entries = timeline_for(user=clinician, patient_id=patient.pk)
    (result,) = [e for e in entries if e.kind == "result"]
    assert "ALT 130 U/L (3.2 x upper limit)" in result.detail
