"""The demo clinic's treatment: two plans with 60 days of history, made through the services."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.dosing import selectors
from apps.dosing.models import DoseOutcome, NaloxoneKit, TreatmentPlan


def test_demo_plans_have_60_days_of_history(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # safe to repeat
    assert TreatmentPlan.objects.count() == 2
    for email in ("patient@example.org", "patient2@example.org"):
        patient = User.objects.get(email=email)
        outcomes = DoseOutcome.objects.filter(dose__patient=patient)
        kinds = set(outcomes.values_list("outcome", flat=True))
        assert {"witnessed", "self_reported", "missed"} <= kinds
        first = outcomes.order_by("dose__due_at").first()
        assert first is not None
        assert first.dose.mg == 25
        assert (timezone.localdate() - first.dose.local_date).days == 60
        assert outcomes.filter(outcome="witnessed").count() > outcomes.count() / 2
    kit = NaloxoneKit.objects.get(patient__email="patient@example.org")
    assert kit.expires_on - timezone.localdate() <= dt.timedelta(days=30)  # nearing expiry
    patient = User.objects.get(email="patient@example.org")
    assert selectors.protection_for(patient_id=patient.pk).protected_until is not None
