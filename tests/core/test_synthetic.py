"""The synthetic clinic (`seed_demo --patients N --days D`) at a small size: every kind of row
is there, the rows keep the database's rules, and the missed-dose sweep runs over it."""

from __future__ import annotations

import io

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

from apps.audit.models import AuditEvent
from apps.core import synthetic
from apps.core.bulk import insert_rows
from apps.counselling.models import AvailabilityRule, Booking
from apps.dosing import escalation
from apps.dosing.escalation_models import Alert, Concern, Rule
from apps.dosing.models import (
    MAX_MG_PER_DAY,
    TAKEN_OUTCOMES,
    Change,
    DoseOutcome,
    Outcome,
    PlanStatus,
    PlanVersion,
    ScheduledDose,
    TreatmentPlan,
)
from apps.worklist.models import Task


@pytest.fixture
def clinic(db, clinician):
    out = io.StringIO()
    made = synthetic.build(patients=100, days=30, out=out, first_clinician=clinician)
    assert made == 100
    return out.getvalue()


def test_every_kind_of_row_is_made(clinic):
    assert "100 plans" not in clinic  # patients still in intake have no plan
    assert set(TreatmentPlan.objects.values_list("status", flat=True)) >= {
        PlanStatus.ACTIVE,
        PlanStatus.PAUSED,
        PlanStatus.STOPPED,
    }
    assert set(PlanVersion.objects.values_list("change", flat=True)) == {
        Change.START,
        Change.PAUSE,
        Change.STOP,
    }
    assert PlanVersion.supervisors.through.objects.exists()
    outcomes = set(DoseOutcome.objects.values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    assert DoseOutcome.objects.exclude(late_reason="").exists()  # recorded late, with a reason
    assert set(Alert.objects.values_list("rule", flat=True)) == {
        Rule.TIER1_LATE,
        Rule.TIER3_CONSECUTIVE,
        Rule.TIER3_CONCERN,
    }
    assert Concern.objects.exists()
    assert Task.objects.filter(kind="dosing.missed_urgent", priority="urgent").exists()
    assert AvailabilityRule.objects.exists()
    assert set(Booking.objects.values_list("status", flat=True)) == {
        Booking.Status.BOOKED,
        Booking.Status.ATTENDED,
        Booking.Status.DID_NOT_ATTEND,
    }
    assert AuditEvent.objects.filter(action="dosing.outcome_recorded").count() == (
        DoseOutcome.objects.count()
    )

    # The rows keep the clinical rules.
    # One open plan per patient; a closed plan has an end.
    open_plans = TreatmentPlan.objects.filter(status__in=(PlanStatus.ACTIVE, PlanStatus.PAUSED))
    assert not open_plans.values("patient").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not TreatmentPlan.objects.filter(
        status=PlanStatus.STOPPED, ended_at__isnull=True
    ).exists()
    # Never more than 150 mg a day, one dose per patient and day.
    assert not ScheduledDose.objects.filter(mg__gt=MAX_MG_PER_DAY).exists()
    per_day = ScheduledDose.objects.values("patient", "local_date").annotate(n=Count("pk"))
    assert not per_day.filter(n__gt=1).exists()
    # Every plan's first dose is 25 mg, witnessed at the clinic by the clinician.
    for plan in TreatmentPlan.objects.all():
        first = plan.doses.order_by("due_at").first()
        assert first is not None
        assert first.mg == 25
        outcome = first.outcomes.get()
        assert outcome.outcome == Outcome.WITNESSED
        assert outcome.recorded_by_id == plan.responsible_clinician_id
    # Taken outcomes carry a time; others do not; nothing recorded before the dose was due.
    assert not DoseOutcome.objects.filter(
        Q(outcome__in=TAKEN_OUTCOMES, taken_at__isnull=True)
        | (~Q(outcome__in=TAKEN_OUTCOMES) & Q(taken_at__isnull=False))
    ).exists()
    assert not DoseOutcome.objects.filter(recorded_at__lt=F("dose__due_at")).exists()
    # One live booking per clinician and start time.
    live = Booking.objects.filter(status=Booking.Status.BOOKED)
    assert (
        not live.values("clinician", "starts_at").annotate(n=Count("pk")).filter(n__gt=1).exists()
    )
    # Patients see their own clinician.
    assert not Booking.objects.exclude(
        clinician_id=F("patient__patient_profile__responsible_clinician_id")
    ).exists()


def test_the_database_refuses_a_second_current_outcome_made_in_bulk(clinic):
    """The bulk insert goes through the same constraints as the services."""
    recorded = DoseOutcome.objects.select_related("dose").first()
    assert recorded is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(
            DoseOutcome,
            ("dose", "outcome", "recorded_by", "recorded_at", "late_reason", "note", "is_current"),
            [
                (
                    recorded.dose_id,
                    "missed",
                    recorded.recorded_by_id,
                    recorded.recorded_at,
                    "",
                    "",
                    True,
                )
            ],
        )


def test_the_sweep_runs_over_it_and_a_second_build_adds_nothing(clinic, clinician):
    unrecorded = ScheduledDose.objects.filter(outcomes__isnull=True).count()
    first = escalation.escalation_sweep()
    assert first.marked_missed > 0 or first.alerts_created > 0
    assert ScheduledDose.objects.filter(outcomes__isnull=True).count() <= unrecorded
    alerts = Alert.objects.count()
    escalation.escalation_sweep()
    assert Alert.objects.count() == alerts  # nothing new the second time
    doses = ScheduledDose.objects.count()
    assert synthetic.build(patients=100, days=30, out=io.StringIO(), first_clinician=clinician) == 0
    assert ScheduledDose.objects.count() == doses
