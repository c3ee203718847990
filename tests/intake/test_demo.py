"""The demo clinic's intake: made through the services, and safe to load twice."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from apps.accounts.models import User
from apps.intake.models import IntakeDecision, PathwayState
from apps.intake.selectors import pathway_state_of
from apps.worklist.models import Task


def test_demo_intake_states_and_idempotence(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    state = {u.email: pathway_state_of(u) for u in User.objects.filter(role="patient")}
    assert state == {
        # The dosing demo starts their treatment (apps/dosing/demo.py).
        "patient@example.org": PathwayState.MAINTENANCE,
        "patient2@example.org": PathwayState.MAINTENANCE,
        "new.patient@example.org": PathwayState.INTAKE,
        "review.patient@example.org": PathwayState.REVIEW,
    }
    assert IntakeDecision.objects.filter(outcome="eligible").count() == 2
    task = Task.objects.get(kind="intake.self_harm")  # dosing adds its own demo tasks
    assert (task.patient.email, task.priority) == ("review.patient@example.org", "urgent")
