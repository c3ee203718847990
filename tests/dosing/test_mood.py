"""PHQ-9 and GAD-7 monthly for the first 3 months through the patient's portal, with the
PHQ-9 question 9 urgent rule."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.core.exceptions import ServiceError
from apps.dosing import mood
from apps.dosing.escalation_models import MoodCheck
from apps.worklist.models import Task
from tests.dosing.escalation_helpers import make_plan

START = dt.date(2026, 1, 15)
PHQ = {f"phq_{n}": 0 for n in range(1, 10)}
GAD = {f"gad_{n}": 1 for n in range(1, 8)}


def at(day):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC), tick=False
    )


@pytest.mark.parametrize(
    ("day", "month"),
    [
        (dt.date(2026, 2, 14), None),  # the first month has not passed
        (dt.date(2026, 2, 15), 1),
        (dt.date(2026, 4, 20), 3),  # missed months are not chased: this month's only
        (dt.date(2026, 5, 20), 3),
        (dt.date(2026, 7, 1), 3),
    ],
)
def test_the_month_due_follows_the_start_of_treatment(patient, clinician, day, month):
    make_plan(patient, clinician, start=START)
    due = mood.mood_due_for(patient=patient, today=day)
    assert (due[1] if due else None) == month


def test_answers_are_scored_once_per_month(patient, clinician):
    make_plan(patient, clinician, start=START)
    with at(dt.date(2026, 2, 16)):
        check = mood.mood_check_submit(actor=patient, phq9=PHQ, gad7=GAD)
        assert (check.month, check.phq9_total, check.gad7_total) == (1, 0, 7)
        with pytest.raises(ServiceError):
            mood.mood_check_submit(actor=patient, phq9=PHQ, gad7=GAD)
    assert not Task.objects.filter(kind="intake.self_harm").exists()


def test_question_9_above_0_raises_an_urgent_task(patient, clinician):
    make_plan(patient, clinician, start=START)
    with at(dt.date(2026, 2, 16)):
        mood.mood_check_submit(actor=patient, phq9=PHQ | {"phq_9": 1}, gad7=GAD)
    task = Task.objects.get(kind="intake.self_harm", rule_code=mood.MOOD_ITEM9_RULE)
    assert (task.priority, task.assignee) == ("urgent", clinician)


def test_the_page_shows_the_questions_and_sends_to_help_now_when_flagged(
    client, patient, clinician
):
    make_plan(patient, clinician, start=START)
    client.force_login(patient)
    with at(dt.date(2026, 2, 16)):
        body = client.get(reverse("escalation:mood-check")).content.decode()
        assert "Think about the last 2 weeks" in body
        assert "checked" not in body
        bad = client.post(reverse("escalation:mood-check"), {"phq_1": "7"})
        assert "Answer this question to continue." in bad.content.decode()
        assert not MoodCheck.objects.exists()
        data = {k: str(v) for k, v in (PHQ | {"phq_9": 2} | GAD).items()}
        response = client.post(reverse("escalation:mood-check"), data)
    assert response["Location"] == reverse("intake:help-now")
    assert MoodCheck.objects.count() == 1
