"""The clinician's review: records, decisions, overrides with re-authentication, the first-dose
gate, and what the patient and supervisor see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError
from apps.intake import services
from apps.intake.models import (
    GateOverride,
    IntakeDecision,
    LiverFunctionTest,
    NaloxoneChallenge,
    PathwayState,
    UrineDrugScreen,
)
from apps.intake.selectors import latest_eligible_decision, pathway_state_of
from tests.conftest import link_supervisor
from tests.intake.conftest import (
    acknowledge_safety,
    answers,
    fill,
    reauthenticate,
    record_clean_tests,
)

LONDON = ZoneInfo("Europe/London")


def review_url(patient):
    return reverse("intake:review", args=[patient.pk])


def test_review_page_shows_scores_and_answers_and_audits_the_read(client, submitted, clinician):
    client.force_login(clinician)
    body = client.get(review_url(submitted)).content.decode()
    assert "PHQ-9 (mood)" in body
    assert "Kroenke" in body  # licence notice beside the score
    assert "Which opioids have you used in the last 3 months?" in body
    assert "No urine drug screen recorded." in body
    event = AuditEvent.objects.get(action="audit.record_viewed")
    assert (event.actor_id, event.patient_id, event.detail) == (
        clinician.pk,
        submitted.pk,
        {"what": "intake"},
    )


def test_supervisor_pages_never_show_screening_answers_or_results(
    client, submitted, clinician, supervisor, consent
):
    record_clean_tests(clinician, submitted)
    client.force_login(supervisor)
    for name in ("intake:review", "intake:decide"):
        assert client.get(reverse(name, args=[submitted.pk])).status_code == 403
    body = client.get(
        reverse("accounts:supervised-patient-detail", args=[submitted.pk])
    ).content.decode()
    for secret in ("PHQ", "AUDIT", "ALT", "rine drug screen", "aloxone challenge", "Scores"):
        assert secret not in body


def test_recording_a_urine_screen_through_the_page(client, submitted, clinician):
    client.force_login(clinician)
    today = timezone.localdate().isoformat()
    data = {"taken_on": today} | dict.fromkeys(UrineDrugScreen.ANALYTES, "negative")
    url = reverse("intake:record", args=[submitted.pk, "urine-screen"])
    response = client.post(url, data | {"fentanyl": "positive"})
    assert response.status_code == 302
    screen = UrineDrugScreen.objects.get(patient=submitted)
    assert screen.is_positive
    event = AuditEvent.objects.get(action="intake.urine_screen_recorded")
    assert event.detail == {"result": "positive"}


def test_a_future_test_date_is_refused_and_nothing_is_saved(client, submitted, clinician):
    client.force_login(clinician)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = {"taken_on": tomorrow} | dict.fromkeys(UrineDrugScreen.ANALYTES, "negative")
    response = client.post(reverse("intake:record", args=[submitted.pk, "urine-screen"]), data)
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not UrineDrugScreen.objects.exists()


def test_naloxone_challenge_with_a_full_cows_is_scored(client, submitted, clinician):
    client.force_login(clinician)
    url = reverse("intake:record", args=[submitted.pk, "naloxone"])
    base = {
        "done_on": timezone.localdate().isoformat(),
        "route": "im",
        "dose_mg": "0.8",
        "observed_minutes": "30",
        "result": "negative",
    }
    partial = client.post(url, base | {"cows_pulse": "1"})
    assert "Score every COWS item, or none of them." in partial.content.decode()
    assert not NaloxoneChallenge.objects.exists()
    cows = {
        "cows_pulse": "1",
        "cows_sweating": "1",
        "cows_restlessness": "1",
        "cows_pupils": "1",
        "cows_aches": "1",
        "cows_runny_nose": "1",
        "cows_gi_upset": "1",
        "cows_tremor": "1",
        "cows_yawning": "1",
        "cows_anxiety": "1",
        "cows_gooseflesh": "3",
    }
    assert client.post(url, base | cows).status_code == 302
    challenge = NaloxoneChallenge.objects.get()
    assert challenge.cows_total == 13
    assert challenge.dose_mg == Decimal("0.80")


def test_liver_test_with_a_zero_upper_limit_is_refused(client, submitted, clinician):
    client.force_login(clinician)
    data = {
        "taken_on": timezone.localdate().isoformat(),
        "alt": "30",
        "alt_uln": "0",
        "ast": "30",
        "ast_uln": "40",
        "bilirubin": "8",
    }
    response = client.post(reverse("intake:record", args=[submitted.pk, "liver-test"]), data)
    assert response.status_code == 200
    assert not LiverFunctionTest.objects.exists()


def test_another_clinician_cannot_record_for_the_patient(submitted, other_clinician):
    with pytest.raises(PermissionDenied):
        services.support_record(
            actor=other_clinician, patient=submitted, clinic_supervision=True, counselling_plan=""
        )


def test_eligible_is_refused_while_gates_block(submitted, clinician):
    with pytest.raises(ServiceError, match="Some gates still block"):
        services.decision_eligible(actor=clinician, patient=submitted, confirm_off_label=False)
    assert pathway_state_of(submitted) == PathwayState.REVIEW


def test_eligible_once_the_tests_are_clean(client, submitted, clinician):
    record_clean_tests(clinician, submitted)
    client.force_login(clinician)
    response = client.post(reverse("intake:decide", args=[submitted.pk]), {"action": "eligible"})
    assert response.status_code == 302
    assert pathway_state_of(submitted) == PathwayState.ELIGIBLE
    decision = latest_eligible_decision(patient=submitted)
    assert decision is not None
    assert decision.indication == "opioids"
    assert decision.assessment.purpose == "decision"
    assert decision.assessment.inputs["liver_test"]["alt"] == 30


def test_alcohol_reduction_needs_the_off_label_confirmation(client, patient, clinician):
    fill(
        patient,
        answers(
            about={
                "indication": "alcohol",
                "alcohol_goal": "reduction",
                "alcohol_withdrawal_complete": "yes",
            },
            audit={f"audit_{n}": 0 for n in range(4, 11)},
        ),
    )
    record_clean_tests(clinician, patient)
    client.force_login(clinician)
    assert "Off-label" in client.get(review_url(patient)).content.decode()
    url = reverse("intake:decide", args=[patient.pk])
    refused = client.post(url, {"action": "eligible"})
    assert "Confirm that you have read the off-label notice" in refused.content.decode()
    assert pathway_state_of(patient) == PathwayState.REVIEW
    client.post(url, {"action": "eligible", "confirm_off_label": "on"})
    decision = IntakeDecision.objects.get(patient=patient)
    assert (decision.alcohol_goal, decision.off_label_confirmed) == ("reduction", True)


def test_not_eligible_reason_is_shown_to_the_patient_and_kept_out_of_the_audit_log(
    client, submitted, clinician
):
    reason = "Your liver needs a specialist's check first. We will refer you and talk soon."
    client.force_login(clinician)
    client.post(
        reverse("intake:decide", args=[submitted.pk]),
        {"action": "not_eligible", "reason_for_patient": reason},
    )
    assert pathway_state_of(submitted) == PathwayState.NOT_ELIGIBLE
    event = AuditEvent.objects.get(action="intake.decided")
    assert event.detail == {"outcome": "not_eligible"}
    assert reason not in str(AuditEvent.objects.values_list("detail", flat=True))
    client.force_login(submitted)
    assert escape(reason) in client.get(reverse("core:patient-dashboard")).content.decode()


def test_not_eligible_needs_a_reason(client, submitted, clinician):
    client.force_login(clinician)
    response = client.post(
        reverse("intake:decide", args=[submitted.pk]),
        {"action": "not_eligible", "reason_for_patient": ""},
    )
    assert response.status_code == 200
    assert pathway_state_of(submitted) == PathwayState.REVIEW


def test_override_asks_for_the_password_again(client, submitted, clinician):
    client.force_login(clinician)
    url = reverse("intake:override", args=[submitted.pk, "liver"])
    response = client.post(url, {"reason": "Known Gilbert's, reviewed by hepatology."})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not GateOverride.objects.exists()


def test_override_with_reauthentication_is_recorded_and_audited(client, submitted, clinician):
    record_clean_tests(clinician, submitted, lft_age=29)  # liver test too old: blocks
    client.force_login(clinician)
    reauthenticate(client, clinician)
    url = reverse("intake:override", args=[submitted.pk, "liver"])
    short = client.post(url, {"reason": "ok"})
    assert "Write a reason of at least 40 characters" in short.content.decode()
    reason = "Repeat test booked for Monday; results stable over 6 months, hepatology agree."
    assert client.post(url, {"reason": reason}).status_code == 302
    override = GateOverride.objects.get(patient=submitted)
    assert (override.gate, override.reason, override.overridden_by_id) == (
        "liver",
        reason,
        clinician.pk,
    )
    event = AuditEvent.objects.get(action="intake.gate_overridden")
    assert event.detail["gate"] == "liver"
    assert event.detail["reauthenticated"] is True
    assert reason not in str(event.detail)
    # The block is now overridden, so the clinician can decide.
    services.decision_eligible(actor=clinician, patient=submitted, confirm_off_label=False)
    assert pathway_state_of(submitted) == PathwayState.ELIGIBLE


def test_a_gate_that_passes_cannot_be_overridden(submitted, clinician):
    with pytest.raises(ServiceError, match="not blocked"):
        services.gate_override(
            actor=clinician, patient=submitted, gate="age", reason="no reason needed at all"
        )


def test_supervision_and_safety_gates_cannot_be_overridden(submitted, clinician):
    for gate in ("support", "informed_consent"):
        services.support_record(
            actor=clinician, patient=submitted, clinic_supervision=False, counselling_plan=""
        )
        with pytest.raises(ServiceError, match="cannot be overridden"):
            services.gate_override(
                actor=clinician, patient=submitted, gate=gate, reason="please let me do it"
            )


def _eligible(patient, clinician):
    fill(patient)
    record_clean_tests(clinician, patient)
    services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)


def test_first_dose_gate_needs_safety_acknowledgement_and_a_supervisor(
    patient, clinician, supervisor
):
    _eligible(patient, clinician)
    gate = services.first_dose_gate(patient=patient)
    assert not gate.allowed
    assert "The patient has not acknowledged the current safety messages." in gate.reasons
    assert any("no supervisor" in r.lower() for r in gate.reasons)
    acknowledge_safety(patient)
    link_supervisor(patient, supervisor, clinician)
    gate = services.first_dose_gate(patient=patient)
    assert gate.allowed, gate.reasons
    assert gate.assessment.purpose == "first_dose"
    assert gate.assessment.inputs["active_supervisors"] == 1


def test_first_dose_gate_accepts_clinic_supervision(patient, clinician):
    _eligible(patient, clinician)
    acknowledge_safety(patient)
    services.support_record(
        actor=clinician, patient=patient, clinic_supervision=True, counselling_plan="clinic"
    )
    assert services.first_dose_gate(patient=patient).allowed


def test_first_dose_gate_refuses_before_an_eligible_decision(submitted, clinician):
    record_clean_tests(clinician, submitted)
    acknowledge_safety(submitted)
    services.support_record(
        actor=clinician, patient=submitted, clinic_supervision=True, counselling_plan="clinic"
    )
    gate = services.first_dose_gate(patient=submitted)
    assert not gate.allowed
    assert gate.reasons == ["The clinician has not recorded that the patient is eligible."]


def test_first_dose_gate_refuses_a_urine_screen_older_than_3_days(patient, clinician):
    _eligible(patient, clinician)
    acknowledge_safety(patient)
    services.support_record(
        actor=clinician, patient=patient, clinic_supervision=True, counselling_plan="clinic"
    )
    today = timezone.localdate()
    assert services.first_dose_gate(patient=patient, today=today + dt.timedelta(days=3)).allowed
    late = services.first_dose_gate(patient=patient, today=today + dt.timedelta(days=4))
    assert not late.allowed


def test_liver_test_age_is_counted_in_the_patients_zone_across_the_clock_change(patient, clinician):
    # UK clocks went forward at 01:00 UTC on Sunday 29 March 2026.
    with time_machine.travel(dt.datetime(2026, 3, 29, 12, 0, tzinfo=dt.UTC), tick=False):
        fill(patient)
        services.liver_test_record(
            actor=clinician,
            patient=patient,
            test=LiverFunctionTest(
                taken_on=dt.date(2026, 3, 1), alt=30, alt_uln=40, ast=30, ast_uln=40, bilirubin=8
            ),
        )
    # 23:30 on 29 March in London (22:30 UTC): 28 days old.
    with time_machine.travel(dt.datetime(2026, 3, 29, 22, 30, tzinfo=dt.UTC), tick=False):
        gate = services.first_dose_gate(patient=patient)
        liver = next(g for g in gate.assessment.gates if g["code"] == "liver")
        assert liver["outcome"] == "pass"
    # 00:30 on 30 March in London (23:30 UTC on the 29th): 29 days old.
    with time_machine.travel(dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC), tick=False):
        gate = services.first_dose_gate(patient=patient)
        liver = next(g for g in gate.assessment.gates if g["code"] == "liver")
        assert liver["outcome"] == "block"
        assert gate.assessment.inputs["today"] == "2026-03-30"


def test_the_patients_download_includes_their_intake_record(client, submitted, clinician):
    record_clean_tests(clinician, submitted)
    client.force_login(submitted)
    data = client.get(reverse("accounts:data-export")).json()
    assert data["intake"]["pathway_state"] == "review"
    assert data["intake"]["answers"]["about"]["indication"] == "opioids"
    assert data["intake"]["liver_tests"][0]["alt"] == 30


def test_a_new_result_withdraws_the_override_of_its_gate(submitted, clinician):
    record_clean_tests(clinician, submitted, lft_age=29)
    services.gate_override(
        actor=clinician,
        patient=submitted,
        gate="liver",
        reason="Stable over six months; repeat test booked for next week with hepatology.",
    )
    # A new liver test at 6 times the upper limit must not ride on the old override.
    services.liver_test_record(
        actor=clinician,
        patient=submitted,
        test=LiverFunctionTest(
            taken_on=timezone.localdate(), alt=240, alt_uln=40, ast=30, ast_uln=40, bilirubin=8
        ),
    )
    override = GateOverride.objects.get(patient=submitted)
    assert override.withdrawn_at is not None
    assert AuditEvent.objects.filter(
        action="intake.override_withdrawn", detail={"gate": "liver", "cause": "new_result"}
    ).exists()
    with pytest.raises(ServiceError, match="Some gates still block"):
        services.decision_eligible(actor=clinician, patient=submitted, confirm_off_label=False)
