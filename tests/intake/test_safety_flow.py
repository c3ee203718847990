"""The clinical safety rules end to end (issue 10): the questionnaire asks per opioid class and
the full AUDIT for alcohol, overrides are refused where they must be, no decision while a
self-harm task is open, the off-label confirmation only for cutting down, the decide page says
plainly what blocks, and a depot washout plan lifts the depot gate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.exceptions import ServiceError
from apps.intake import services
from apps.intake.models import GateOverride, IntakeDecision, PathwayState, UrineDrugScreen
from apps.intake.selectors import answers_of, pathway_state_of
from apps.worklist.models import Task
from apps.worklist.services import task_resolve
from tests.intake.conftest import answers, fill, reauthenticate, record_clean_tests

REASON = "Discussed with the hepatology team today; they advise that starting is acceptable."
NOTE = "Called today: no plans or intent, safety plan agreed, crisis numbers given."


def post_step(client, step, data):
    return client.post(reverse("intake:step", args=[step]), data)


# --- Questionnaire -------------------------------------------------------------------------------


def test_substances_step_asks_the_date_of_each_class_used(client, patient):
    client.force_login(patient)
    page = client.get(reverse("intake:step", args=["substances"])).content.decode()
    for words in ("Fentanyl", "Slow-release", "depot", "When did you last use fentanyl?"):
        assert words in page
    missing = post_step(
        client,
        "substances",
        {
            "opioid_classes": ["short_acting", "fentanyl"],
            "last_short_acting": "2026-01-01",
            "currently_dependent": "no",
        },
    )
    assert missing.status_code == 200
    assert "Tell us when you last used it." in missing.content.decode()
    both = post_step(
        client,
        "substances",
        {
            "opioid_classes": ["none", "methadone"],
            "last_methadone": "2026-01-01",
            "currently_dependent": "no",
        },
    )
    assert "also an opioid" in both.content.decode()
    assert "substances" not in answers_of(patient)
    ok = post_step(
        client,
        "substances",
        {
            "opioid_classes": ["short_acting", "fentanyl"],
            "last_short_acting": "2026-01-01",
            "last_fentanyl": "2026-01-02",
            "last_methadone": "2026-01-03",
            "currently_dependent": "no",
        },
    )
    assert ok.status_code == 302
    saved = answers_of(patient)["substances"]
    assert saved["last_fentanyl"] == "2026-01-02"
    assert saved["last_methadone"] is None  # not ticked: not kept


def test_the_alcohol_indication_always_asks_the_full_audit(patient):
    data = answers(
        about={
            "indication": "alcohol",
            "alcohol_goal": "abstinence",
            "alcohol_withdrawal_complete": "yes",
        },
        audit_c={"audit_1": 0, "audit_2": 0, "audit_3": 0},  # AUDIT-C 0: below the cut-off
    )
    fill(patient, data, submit=False)
    with pytest.raises(ServiceError, match="not finished"):
        services.questionnaire_submit(actor=patient)
    services.questionnaire_step_save(
        actor=patient, step="audit", answers={f"audit_{n}": 0 for n in range(4, 11)}
    )
    services.questionnaire_submit(actor=patient)
    assert pathway_state_of(patient) == PathwayState.REVIEW


def test_the_alcohol_indication_records_whether_withdrawal_is_complete(client, patient):
    client.force_login(patient)
    about = {"date_of_birth": "1990-05-01", "indication": "alcohol", "alcohol_goal": "abstinence"}
    refused = post_step(client, "about", about)
    assert "Tell us whether you have finished coming off alcohol." in refused.content.decode()
    post_step(client, "about", {**about, "alcohol_withdrawal_complete": "no"})
    assert answers_of(patient)["about"]["alcohol_withdrawal_complete"] == "no"


def test_phq9_item9_of_1_always_raises_the_urgent_task(patient):
    phq = {f"phq_{n}": 0 for n in range(1, 10)} | {"phq_9": 1}
    saved = services.questionnaire_step_save(actor=patient, step="phq_9", answers=phq)
    assert saved.self_harm_flag
    task = Task.objects.get(patient=patient)
    assert (task.priority, task.threshold) == ("urgent", ">0")


# --- Overrides -----------------------------------------------------------------------------------


def _positive_urine(clinician, patient):
    screen = UrineDrugScreen(
        taken_on=timezone.localdate(),
        **dict.fromkeys(UrineDrugScreen.ANALYTES, "negative") | {"fentanyl": "positive"},
    )
    services.urine_screen_record(actor=clinician, patient=patient, screen=screen)


def test_a_positive_urine_screen_cannot_be_overridden_with_a_clear_message(
    client, submitted, clinician
):
    record_clean_tests(clinician, submitted)
    _positive_urine(clinician, submitted)
    with pytest.raises(ServiceError, match="precipitated withdrawal"):
        services.gate_override(
            actor=clinician, patient=submitted, gate="urine_screen", reason=REASON
        )
    client.force_login(clinician)
    reauthenticate(client, clinician)
    url = reverse("intake:override", args=[submitted.pk, "urine_screen"])
    page = client.get(url).content.decode()
    assert "cannot be overridden" in page
    posted = client.post(url, {"reason": REASON})
    assert posted.status_code == 200
    assert "guards against precipitated withdrawal" in posted.content.decode()
    assert not GateOverride.objects.exists()
    review = client.get(reverse("intake:review", args=[submitted.pk])).content.decode()
    assert "Cannot be overridden." in review


@pytest.mark.parametrize(
    ("section", "key", "code"),
    [
        ("substances", "currently_dependent", "opioid_dependence"),
        ("health", "acute_hepatitis", "acute_liver"),
        ("health", "liver_failure", "acute_liver"),
        ("medicines", "takes_opioid_medicines", "opioid_medicines"),
    ],
)
def test_contraindications_that_guard_against_withdrawal_or_liver_failure_refuse_override(
    patient, clinician, section, key, code
):
    extra = {"opioid_medicines": "codeine"} if key == "takes_opioid_medicines" else {}
    fill(patient, answers(**{section: {key: "yes", **extra}}))
    with pytest.raises(ServiceError, match="cannot be overridden"):
        services.gate_override(actor=clinician, patient=patient, gate=code, reason=REASON)


def test_an_override_needs_a_reason_of_substance(submitted, clinician):
    record_clean_tests(clinician, submitted, lft_age=29)
    with pytest.raises(ServiceError, match="at least 40 characters"):
        services.gate_override(
            actor=clinician, patient=submitted, gate="liver", reason="old test, fine"
        )
    assert not GateOverride.objects.exists()


def test_overriding_one_contraindication_never_covers_another(patient, clinician):
    fill(patient, answers(health={"hypersensitivity": "yes", "severe_kidney_impairment": "yes"}))
    record_clean_tests(clinician, patient)
    services.gate_override(actor=clinician, patient=patient, gate="hypersensitivity", reason=REASON)
    with pytest.raises(ServiceError, match="still block"):
        services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    services.gate_override(actor=clinician, patient=patient, gate="organ_impairment", reason=REASON)
    services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    assert pathway_state_of(patient) == PathwayState.ELIGIBLE


# --- Decisions -----------------------------------------------------------------------------------


def test_no_decision_while_a_self_harm_task_is_open_without_a_risk_assessment(
    client, patient, clinician
):
    fill(patient, answers(phq_9={"phq_9": 1}))
    record_clean_tests(clinician, patient)
    client.force_login(clinician)
    review = client.get(reverse("intake:review", args=[patient.pk])).content.decode()
    assert "answered above 0 on PHQ-9 question 9" in review
    assert "No decision can be recorded until you close the task" in review
    for call in (
        lambda: services.decision_eligible(
            actor=clinician, patient=patient, confirm_off_label=False
        ),
        lambda: services.decision_not_eligible(
            actor=clinician, patient=patient, reason_for_patient="Not now; let us talk soon."
        ),
    ):
        with pytest.raises(ServiceError, match="risk assessment"):
            call()
    page = client.post(reverse("intake:decide", args=[patient.pk]), {"action": "eligible"})
    assert "Close it on your" in page.content.decode()
    assert not IntakeDecision.objects.exists()
    task = Task.objects.get(patient=patient)
    task_resolve(actor=clinician, task=task, outcome_code="called_back", note=NOTE, confirmed=True)
    services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    assert pathway_state_of(patient) == PathwayState.ELIGIBLE


def test_the_decide_page_lists_what_blocks_and_offers_no_eligible_button(
    client, submitted, clinician
):
    client.force_login(clinician)
    page = client.get(reverse("intake:decide", args=[submitted.pk])).content.decode()
    assert "You cannot record this patient as eligible yet." in page
    assert "Urine drug screen" in page
    assert "Record: eligible" not in page
    assert "Eligibility gates: Blocked" in page


def test_the_decide_page_says_plainly_what_is_checked_at_the_first_dose(
    client, submitted, clinician
):
    record_clean_tests(clinician, submitted)
    client.force_login(clinician)
    page = client.get(reverse("intake:decide", args=[submitted.pk])).content.decode()
    assert "Checked at the first dose" in page
    assert "Needed before the first dose" in page
    assert "Safety messages acknowledged" in page
    assert "Record: eligible" in page
    # Badge and rows agree: not "Blocked" when the decision can be recorded.
    assert "Eligibility gates: Blocked" not in page
    assert "the first dose is held" in page


def test_the_off_label_confirmation_appears_only_for_cutting_down(client, submitted, clinician):
    record_clean_tests(clinician, submitted)
    client.force_login(clinician)
    url = reverse("intake:decide", args=[submitted.pk])
    assert "off-label notice" not in client.get(url).content.decode()
    with pytest.raises(ServiceError, match="only for the goal of cutting down"):
        services.decision_eligible(actor=clinician, patient=submitted, confirm_off_label=True)
    client.post(url, {"action": "eligible", "confirm_off_label": "on"})  # ignored: no field
    decision = IntakeDecision.objects.get(patient=submitted)
    assert decision.off_label_confirmed is False


# --- Depot buprenorphine -------------------------------------------------------------------------


def test_a_specialist_washout_plan_lifts_the_depot_gate_on_its_date(client, patient, clinician):
    today = timezone.localdate()
    substances = {
        "opioid_classes": ["buprenorphine_depot"],
        "last_buprenorphine_depot": (today - dt.timedelta(days=60)).isoformat(),
        "last_short_acting": None,
    }
    fill(patient, answers(substances=substances))
    record_clean_tests(clinician, patient)
    with pytest.raises(ServiceError, match="still block"):
        services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    with pytest.raises(ServiceError, match="cannot be overridden"):
        services.gate_override(
            actor=clinician, patient=patient, gate="depot_buprenorphine", reason=REASON
        )
    client.force_login(clinician)
    url = reverse("intake:record", args=[patient.pk, "washout-plan"])
    plan = {
        "specialist": "Dr A Specialist, addictions service",
        "last_injection_on": (today - dt.timedelta(days=60)).isoformat(),
        "earliest_first_dose": (today - dt.timedelta(days=60)).isoformat(),
        "plan": "Urine screen and naloxone challenge on the day; observe for 1 hour.",
    }
    refused = client.post(url, plan)
    assert "The first dose must come after the last injection." in refused.content.decode()
    plan["earliest_first_dose"] = today.isoformat()
    assert client.post(url, plan).status_code == 302
    services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    assert pathway_state_of(patient) == PathwayState.ELIGIBLE


# --- Time zones and the age override ------------------------------------------------------------


def test_a_class_interval_is_counted_in_the_patients_zone_across_the_october_clock_change(
    patient, clinician
):
    import time_machine

    from apps.intake import eligibility as engine
    from apps.intake.selectors import engine_inputs_for

    substances = {
        "opioid_classes": ["fentanyl"],
        "last_fentanyl": "2026-10-15",
        "last_short_acting": None,
    }
    fill(patient, answers(substances=substances), submit=False)
    # 23:30 UTC on Saturday 24 October is 00:30 BST on Sunday 25 October in London, the night
    # the clocks go back: the patient's day 10 after the last use, not UTC's day 9.
    with time_machine.travel(dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC), tick=False):
        gates = engine.evaluate(engine_inputs_for(patient=patient))
    last = next(g for g in gates if g.code == "last_opioid")
    assert last.outcome == engine.WARN
    with time_machine.travel(dt.datetime(2026, 10, 24, 22, 30, tzinfo=dt.UTC), tick=False):
        gates = engine.evaluate(engine_inputs_for(patient=patient))
    assert next(g for g in gates if g.code == "last_opioid").outcome == engine.BLOCK


def test_the_clinician_can_still_override_the_age_gate_for_one_patient(patient, clinician):
    from apps.audit.models import AuditEvent

    fill(patient, answers(about={"date_of_birth": "2010-01-01"}), submit=False)
    services.questionnaire_submit(actor=patient)
    services.gate_override(actor=clinician, patient=patient, gate="age", reason=REASON)
    event = AuditEvent.objects.get(action="intake.gate_overridden")
    assert event.detail["gate"] == "age"
    assert GateOverride.objects.get(patient=patient).gate == "age"
