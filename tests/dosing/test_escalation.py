"""The missed-dose sweep (DOMAIN.md section 4): each tier at its boundary, re-induction, the
sweep run twice, a UK clock change, and a fixed number of queries whatever the caseload."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.roles import Role
from apps.dosing import escalation
from apps.dosing.escalation_models import Alert, EscalationOverride, Rule
from apps.dosing.models import DoseOutcome, Outcome
from apps.notifications.models import Notification
from apps.worklist.models import Task
from tests.conftest import link_supervisor, make_user
from tests.dosing.escalation_helpers import dose_on, local, make_plan, record

D0 = dt.date(2026, 1, 5)  # winter: London is on UTC
D1, D2, D3, D4, D5 = (D0 + dt.timedelta(days=n) for n in range(1, 6))


@pytest.fixture
def plan(patient, clinician, consent):
    plan = make_plan(patient, clinician, start=D0)
    record(plan, D0, Outcome.WITNESSED, clinician)  # first dose at 9:05am
    return plan


def rules(plan=None):
    qs = Alert.objects.all() if plan is None else Alert.objects.filter(plan=plan)
    return sorted(qs.values_list("rule", flat=True))


def sweep(at):
    return escalation.escalation_sweep(now=at)


# --- Tier 1 -------------------------------------------------------------------------------------


def test_tier1_fires_two_hours_after_the_due_time_not_before(plan, patient, supervisor):
    sweep(local(D1, 10, 59))
    assert Rule.TIER1_LATE not in rules()
    sweep(local(D1, 11, 0))
    alert = Alert.objects.get(rule=Rule.TIER1_LATE)
    assert alert.dose == dose_on(plan, D1)
    assert alert.tier == 1
    assert alert.threshold == "2 h after the due time"
    assert {(r["id"], r["role"]) for r in alert.recipients} == {
        (patient.pk, "patient"),
        (supervisor.pk, "supervisor"),
    }


def test_tier1_does_not_fire_when_the_dose_was_recorded(plan, supervisor):
    record(plan, D1, Outcome.WITNESSED, supervisor, at=local(D1, 9, 30))
    sweep(local(D1, 11, 0))
    assert Rule.TIER1_LATE not in rules()


def test_tier1_reminds_patient_and_supervisor_through_the_outbox(plan, patient, supervisor):
    sweep(local(D1, 11, 0))
    escalation.alerts_deliver_pending()
    sent = set(Notification.objects.filter(kind="dose_reminder").values_list("recipient_id"))
    assert sent == {(patient.pk,), (supervisor.pk,)}
    assert Alert.objects.get(rule=Rule.TIER1_LATE).task is None


def test_a_patient_override_moves_the_tier1_time(plan, patient, clinician):
    EscalationOverride.objects.create(
        patient=patient,
        dose_late_hours=4,
        reason="Works shifts",
        set_by=clinician,
        set_at=local(D0, 8),
    )
    sweep(local(D1, 12, 59))
    assert Rule.TIER1_LATE not in rules()
    sweep(local(D1, 13, 0))
    assert Alert.objects.get(rule=Rule.TIER1_LATE).threshold == "4 h after the due time"


# --- Idempotency --------------------------------------------------------------------------------


def test_the_sweep_run_twice_creates_one_alert_and_one_message_each(plan, patient, supervisor):
    sweep(local(D1, 11, 0))
    sweep(local(D1, 11, 0))
    sweep(local(D1, 11, 5))
    # tier 1 for the dose, tier 2 for the 9:05am end of the last dose's protection
    assert rules() == [Rule.TIER1_LATE, Rule.TIER2_UNPROTECTED]
    escalation.alerts_deliver_pending()
    for alert in Alert.objects.all():  # a re-queued delivery does nothing
        escalation.alert_deliver(alert_id=alert.pk)
    assert Notification.objects.filter(kind="dose_reminder").count() == 2
    assert Notification.objects.filter(kind="unprotected_safety").count() == 1
    assert Task.objects.filter(kind="dosing.unprotected").count() == 1


def test_the_sweep_queues_one_delivery_task_per_new_alert(
    plan, django_capture_on_commit_callbacks, monkeypatch
):
    queued: list[int] = []
    from apps.dosing import escalation_tasks

    monkeypatch.setattr(escalation_tasks.deliver_alert, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(local(D1, 11, 0))
    assert queued == list(Alert.objects.values_list("pk", flat=True))


# --- Marked missed ------------------------------------------------------------------------------


def test_a_dose_nobody_recorded_is_marked_missed_at_the_end_of_its_window(plan):
    sweep(local(D1, 20, 59))
    assert not DoseOutcome.objects.filter(dose=dose_on(plan, D1)).exists()
    sweep(local(D1, 21, 0))
    marked = DoseOutcome.objects.get(dose=dose_on(plan, D1))
    assert marked.outcome == Outcome.MISSED
    assert marked.note == escalation.AUTO_MISSED_NOTE
    sweep(local(D1, 21, 5))
    assert DoseOutcome.objects.filter(dose=dose_on(plan, D1)).count() == 1


# --- Tier 2 -------------------------------------------------------------------------------------


def test_tier2_fires_when_the_last_dose_stops_protecting(plan, patient, supervisor, clinician):
    # 50 mg at 9:05am protects for 24 hours: until 9:05am the next day.
    sweep(local(D1, 9, 4))
    assert Rule.TIER2_UNPROTECTED not in rules()
    sweep(local(D1, 9, 5))
    assert Rule.TIER2_UNPROTECTED in rules()
    escalation.alerts_deliver_pending()
    task = Task.objects.get(kind="dosing.unprotected")
    assert task.assignee == clinician
    assert set(Notification.objects.values_list("recipient_id", "kind")) >= {
        (patient.pk, "unprotected_safety"),
        (supervisor.pk, "supervision_check_in"),
    }


def test_tier2_does_not_fire_once_the_next_dose_is_taken(plan, supervisor):
    record(plan, D1, Outcome.WITNESSED, supervisor, at=local(D1, 9, 0))
    sweep(local(D1, 9, 30))
    assert Rule.TIER2_UNPROTECTED not in rules()


def test_a_vomited_dose_does_not_protect(plan, supervisor):
    record(plan, D1, Outcome.VOMITED, supervisor, at=local(D1, 9, 0))
    sweep(local(D1, 9, 30))
    assert Rule.TIER2_UNPROTECTED in rules()


# --- Tier 3 -------------------------------------------------------------------------------------


def test_tier3_fires_on_the_second_missed_dose_in_a_row(plan, clinician):
    sweep(local(D1, 21, 0))  # D1 marked missed
    assert Rule.TIER3_CONSECUTIVE not in rules()
    sweep(local(D2, 20, 59))
    assert Rule.TIER3_CONSECUTIVE not in rules()
    sweep(local(D2, 21, 0))  # D2 marked missed: two in a row
    alert = Alert.objects.get(rule=Rule.TIER3_CONSECUTIVE)
    assert alert.dose == dose_on(plan, D2)
    escalation.alerts_deliver_pending()
    task = Task.objects.get(kind="dosing.missed_urgent")
    assert task.priority == Task.Priority.URGENT


def test_tier3_fires_on_the_third_missed_dose_in_seven_days(plan, supervisor):
    record(plan, D1, Outcome.MISSED, supervisor)
    record(plan, D2, Outcome.WITNESSED, supervisor)
    record(plan, D3, Outcome.REFUSED, supervisor)
    record(plan, D4, Outcome.WITNESSED, supervisor)
    sweep(local(D4, 12))
    assert not {Rule.TIER3_CONSECUTIVE, Rule.TIER3_WINDOW} & set(rules())
    record(plan, D5, Outcome.MISSED, supervisor)
    sweep(local(D5, 12))
    alert = Alert.objects.get(rule=Rule.TIER3_WINDOW)
    assert alert.dose == dose_on(plan, D5)
    assert alert.threshold == "3 missed in 7 days"


def test_three_missed_over_more_than_seven_days_is_not_tier3(
    patient, clinician, supervisor, consent
):
    plan = make_plan(patient, clinician, start=D0)
    record(plan, D0, Outcome.WITNESSED, clinician)
    for n in range(1, 10):
        day = D0 + dt.timedelta(days=n)
        outcome = Outcome.MISSED if n in (1, 5, 9) else Outcome.WITNESSED
        record(plan, day, outcome, supervisor)
    sweep(local(D0 + dt.timedelta(days=9), 12))
    assert Rule.TIER3_WINDOW not in rules()


# --- Re-induction -------------------------------------------------------------------------------


def test_reinduction_check_after_more_than_three_days_without_a_dose(plan):
    # Last dose taken D0 9:05am; D1 and D2 were missed.
    sweep(local(D1, 21, 0))
    sweep(local(D2, 21, 0))
    sweep(local(D3, 9, 5))  # exactly 3 days: not over
    assert Rule.REINDUCTION_GAP not in rules()
    sweep(local(D3, 9, 6))
    assert Rule.REINDUCTION_GAP in rules()
    escalation.alerts_deliver_pending()
    assert Task.objects.filter(kind="dosing.reinduction", priority="urgent").count() == 1


# --- Plans not started, other plans -------------------------------------------------------------


def test_a_plan_whose_first_dose_is_not_taken_is_left_alone(patient, clinician, consent):
    make_plan(patient, clinician, start=D0)
    sweep(local(D2, 12))
    assert rules() == []
    assert not DoseOutcome.objects.exists()


# --- UK clock changes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "utc_hour"),
    [
        (dt.date(2026, 3, 28), 8),  # 29 March 2026: clocks go forward, 9am is 08:00 UTC
        (dt.date(2026, 10, 24), 9),  # 25 October 2026: clocks go back, 9am is 09:00 UTC
    ],
)
def test_tier1_keeps_to_the_local_clock_across_a_clock_change(
    patient, clinician, consent, start, utc_hour
):
    plan = make_plan(patient, clinician, start=start, days=4)
    record(plan, start, Outcome.WITNESSED, clinician)
    change_day = start + dt.timedelta(days=1)
    due = dose_on(plan, change_day).due_at
    assert due == dt.datetime(
        change_day.year, change_day.month, change_day.day, utc_hour, tzinfo=dt.UTC
    )
    sweep(due + dt.timedelta(hours=2) - dt.timedelta(minutes=1))
    assert Rule.TIER1_LATE not in rules()
    sweep(local(change_day, 11))  # 11am on the wall clock, 2 hours after 9am
    assert Rule.TIER1_LATE in rules()


# --- Queries ------------------------------------------------------------------------------------


def test_the_sweep_runs_a_fixed_number_of_queries(clinician, django_assert_num_queries):
    made = 0
    # 16, not more: SQLite splits a bulk insert above 999 parameters (64 alerts of 14 columns
    # stay in one); PostgreSQL's limit is far higher.
    for n in (2, 16):
        for i in range(made, n):
            patient = make_user(f"sweep{i}@test.example", Role.PATIENT, clinician=clinician)
            supervisor = make_user(f"sup{i}@test.example", Role.SUPERVISOR)
            link_supervisor(patient, supervisor, clinician)
            plan = make_plan(patient, clinician, start=D0, days=8)
            record(plan, D0, Outcome.WITNESSED, clinician)
            record(plan, D1, Outcome.MISSED, supervisor)
        made = n
        Alert.objects.all().delete()
        DoseOutcome.objects.filter(note=escalation.AUTO_MISSED_NOTE).delete()
        # savepoint, clinic settings, last doses taken recently, plans, last doses taken
        # before that, overrides, consents in force, recent doses with outcomes, insert missed
        # outcomes, insert their audit events, insert alerts, alerts to deliver, release
        with django_assert_num_queries(13):
            result = escalation.escalation_sweep(now=local(D3, 21, 0))
        # every patient: tier 2, tier 3 twice (D1-D2 in a row; D3 the third in 7 days),
        # re-induction; D2 and D3 marked missed
        assert result.marked_missed == 2 * n
        assert Alert.objects.count() == 4 * n


def test_a_last_dose_taken_long_ago_is_still_found(patient, clinician, consent):
    """The last dose taken is looked for among recent outcomes first; a plan with nothing taken
    lately is looked up over its whole history, so tier 2 and the re-induction check still name
    the dose taken 40 days ago."""
    plan = make_plan(patient, clinician, start=D0, days=45)
    first = record(plan, D0, Outcome.WITNESSED, clinician)
    later = D0 + dt.timedelta(days=40)
    sweep(local(later, 21, 0))
    alerts = {a.rule: a for a in Alert.objects.filter(plan=plan)}
    assert alerts[Rule.TIER2_UNPROTECTED].key == f"outcome:{first.pk}"
    assert alerts[Rule.REINDUCTION_GAP].key == f"outcome:{first.pk}"


# --- Per-patient thresholds (service) -----------------------------------------------------------


def test_the_clinician_sets_a_patients_thresholds_with_a_reason(
    patient, clinician, other_clinician
):
    from django.core.exceptions import PermissionDenied

    from apps.core.exceptions import ServiceError

    with pytest.raises(ServiceError):
        escalation.escalation_override_set(actor=clinician, patient=patient, reason=" ")
    with pytest.raises(ServiceError) as exc:
        escalation.escalation_override_set(
            actor=clinician, patient=patient, reason="Shift work", dose_missed_after_hours=2
        )
    assert exc.value.field == "dose_missed_after_hours"
    with pytest.raises(PermissionDenied):
        escalation.escalation_override_set(
            actor=other_clinician, patient=patient, reason="x", dose_late_hours=3
        )
    override = escalation.escalation_override_set(
        actor=clinician, patient=patient, reason="Shift work", dose_late_hours=4
    )
    assert override.dose_late_hours == 4
    assert EscalationOverride.objects.count() == 1


def test_the_database_refuses_a_second_alert_for_the_same_dose_and_tier(plan):
    from django.db import IntegrityError, transaction

    dose = dose_on(plan, D1)
    fields = {
        "patient": plan.patient,
        "plan": plan,
        "dose": dose,
        "tier": 3,
        "threshold": "test",
        "created_at": local(D1, 21),
    }
    Alert.objects.create(rule=Rule.TIER3_CONSECUTIVE, key="dose:a", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(rule=Rule.TIER3_WINDOW, key="dose:b", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(rule=Rule.TIER3_CONSECUTIVE, key="dose:a", **fields | {"dose": None})
