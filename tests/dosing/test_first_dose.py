"""The hardened first-dose gate (issue 8, DOMAIN.md section 2), each rule at its boundary, and
the first dose recorded only through it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from apps.clinic.models import ClinicSettings
from apps.core.exceptions import ServiceError
from apps.dosing import services
from apps.dosing.models import DoseOutcome, NaloxoneKit
from apps.intake import services as intake_services
from apps.intake.models import LiverFunctionTest, NaloxoneChallenge, UrineDrugScreen
from apps.worklist.models import Task
from apps.worklist.services import task_raise, task_resolve
from tests.dosing.conftest import NOW, TODAY, acknowledge_current_safety, dose_on, plan_in
from tests.intake.conftest import answers, fill


def gate(patient, day=TODAY):
    return intake_services.first_dose_gate(patient=patient, today=day)


def test_a_fully_prepared_patient_passes(eligible):
    result = gate(eligible)
    assert result.allowed, result.reasons


# --- Naloxone challenge: at most one day before the first dose ----------------------------------


def test_a_challenge_the_day_before_counts_and_two_days_before_does_not(eligible):
    # The challenge was done on TODAY.
    assert gate(eligible, TODAY + dt.timedelta(days=1)).allowed
    late = gate(eligible, TODAY + dt.timedelta(days=2))
    assert not late.allowed
    assert late.reasons == [
        "The naloxone test was done 2 days before the first dose; it must be at most 1 day "
        "before. Repeat it."
    ]


def _results(clinician, patient, *, challenge_on, urine_on=TODAY):
    negative = dict.fromkeys(UrineDrugScreen.ANALYTES, "negative")
    intake_services.urine_screen_record(
        actor=clinician, patient=patient, screen=UrineDrugScreen(taken_on=urine_on, **negative)
    )
    intake_services.naloxone_challenge_record(
        actor=clinician,
        patient=patient,
        challenge=NaloxoneChallenge(
            done_on=challenge_on,
            route="im",
            dose_mg=Decimal("0.8"),
            observed_minutes=30,
            result="negative",
        ),
        cows_answers={},
    )
    intake_services.liver_test_record(
        actor=clinician,
        patient=patient,
        test=LiverFunctionTest(taken_on=TODAY, alt=30, alt_uln=40, ast=30, ast_uln=40, bilirubin=8),
    )
    intake_services.support_record(
        actor=clinician, patient=patient, clinic_supervision=True, counselling_plan="clinic"
    )


def _prepare(patient, clinician, *, last_use, challenge_on, clock=None):
    ClinicSettings.objects.update_or_create(
        singleton=True, defaults={"naloxone_challenge_max_age_days": 30}
    )
    fill(patient, answers(substances={"last_opioid_date": last_use.isoformat()}))
    _results(clinician, patient, challenge_on=challenge_on)
    intake_services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    acknowledge_current_safety(patient)
    services.naloxone_kit_record(
        actor=patient, patient=patient, expires_on=TODAY + dt.timedelta(days=200)
    )


def test_a_challenge_on_the_day_of_last_use_does_not_count(patient, clinician):
    last_use = TODAY - dt.timedelta(days=12)
    _prepare(patient, clinician, last_use=last_use, challenge_on=last_use)
    result = gate(patient)
    assert not result.allowed
    assert any("not after the last reported opioid use" in r for r in result.reasons)


def test_a_challenge_the_day_after_last_use_counts(patient, clinician):
    last_use = TODAY - dt.timedelta(days=12)
    _prepare(patient, clinician, last_use=last_use, challenge_on=last_use + dt.timedelta(days=1))
    result = gate(patient)
    assert result.allowed, result.reasons


# --- Overrides at the intake decision do not carry over ---------------------------------------------


def test_an_intake_override_of_a_stale_urine_screen_does_not_carry_over(
    patient, clinician, consent, clock
):
    fill(patient)
    _results(clinician, patient, challenge_on=TODAY, urine_on=TODAY - dt.timedelta(days=5))
    intake_services.gate_override(
        actor=clinician, patient=patient, gate="urine_screen", reason="Repeat booked for Monday"
    )
    clock.move_to(NOW + dt.timedelta(minutes=1))
    intake_services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    acknowledge_current_safety(patient)
    services.naloxone_kit_record(
        actor=patient, patient=patient, expires_on=TODAY + dt.timedelta(days=200)
    )
    result = gate(patient)
    assert not result.allowed
    assert any("does not carry over to the first dose" in r for r in result.reasons)
    # A fresh override, made for the first dose, counts.
    clock.move_to(NOW + dt.timedelta(minutes=2))
    intake_services._withdraw_overrides(actor=clinician, patient=patient, gate="urine_screen")
    intake_services.gate_override(
        actor=clinician, patient=patient, gate="urine_screen", reason="Clinic screen this morning"
    )
    assert gate(patient).allowed


# --- Naloxone kit at home -------------------------------------------------------------------------


def test_no_naloxone_kit_blocks(eligible):
    NaloxoneKit.objects.all().delete()
    assert gate(eligible).reasons == ["No naloxone kit at home is recorded."]


def test_a_kit_expiring_on_the_first_day_blocks_and_the_day_after_passes(eligible):
    NaloxoneKit.objects.update(expires_on=TODAY + dt.timedelta(days=1))
    assert gate(eligible).allowed
    expiring = gate(eligible, TODAY + dt.timedelta(days=1))
    assert not expiring.allowed
    assert expiring.reasons[0].startswith("The naloxone kit at home expires on 2 June 2026")


def test_an_expired_kit_cannot_be_recorded(eligible):
    with pytest.raises(ServiceError) as err:
        services.naloxone_kit_record(actor=eligible, patient=eligible, expires_on=TODAY)
    assert err.value.field == "expires_on"


# --- Self-harm task -------------------------------------------------------------------------------


def test_an_open_self_harm_task_blocks_until_closed(eligible, clinician):
    task, _ = task_raise(
        patient=eligible,
        kind="intake.self_harm",
        rule_code="intake.phq9_item9",
        trigger_key="intake",
        priority=Task.Priority.URGENT,
    )
    result = gate(eligible)
    assert not result.allowed
    assert "thoughts of self-harm is open" in result.reasons[0]
    task_resolve(actor=clinician, task=task, outcome_code="seen")
    assert gate(eligible).allowed


# --- Recorded only through the gate --------------------------------------------------------------


def test_the_first_dose_refusal_lists_each_reason(plan, clinician, eligible, clock):
    NaloxoneKit.objects.all().delete()
    task_raise(
        patient=eligible,
        kind="intake.self_harm",
        rule_code="intake.phq9_item9",
        trigger_key="intake",
        priority=Task.Priority.URGENT,
    )
    clock.move_to(NOW + dt.timedelta(hours=1, minutes=5))
    with pytest.raises(ServiceError) as err:
        services.dose_outcome_record(
            actor=clinician, dose=dose_on(plan, TODAY), outcome="witnessed"
        )
    assert "No naloxone kit at home is recorded." in err.value.message
    assert "thoughts of self-harm" in err.value.message
    assert not DoseOutcome.objects.exists()


def test_a_missed_first_dose_needs_no_gate(plan, supervisor, clock):
    clock.move_to(NOW + dt.timedelta(hours=1, minutes=5))
    result = services.dose_outcome_record(
        actor=supervisor, dose=dose_on(plan, TODAY), outcome="missed"
    )
    assert result.created


def test_plan_in_helper_makes_a_valid_plan(eligible, clinician):
    # Clinic supervision alone is enough.
    assert services.plan_create(actor=clinician, patient=eligible, data=plan_in(clinic=True))
