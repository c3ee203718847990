"""Every write of the intake: questionnaire steps, submission, the clinician's records, stored
assessments, overrides, decisions, and the first-dose gate the dosing part of the portal calls.

Each service checks permission, runs in a transaction and writes an audit event (codes only:
no answers, results or reasons in the audit detail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.services import audit_record
from apps.clinic.selectors import clinic_settings_get
from apps.core.exceptions import ServiceError
from apps.intake import eligibility as engine
from apps.intake import instruments, questionnaire, selectors
from apps.intake.models import (
    EligibilityAssessment,
    GateOverride,
    IntakeDecision,
    LiverFunctionTest,
    NaloxoneChallenge,
    PathwayState,
    PlannedProcedure,
    PregnancyAdvice,
    QuestionnaireResponse,
    UrineDrugScreen,
    WashoutPlan,
)
from apps.intake.pathway import pathway_lock, transition
from apps.worklist.models import Task
from apps.worklist.services import task_raise

SELF_HARM_RULE = "intake.phq9_item9"
OVERRIDE_REASON_MIN = 40
NOT_OVERRIDABLE = (
    "This gate cannot be overridden: it guards against precipitated withdrawal or liver "
    "failure, or it is checked again before the first dose. Record a new result when it changes."
)

# --- Questionnaire -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSaved:
    response: QuestionnaireResponse
    self_harm_flag: bool


@transaction.atomic
def questionnaire_step_save(*, actor: User, step: str, answers: dict[str, Any]) -> StepSaved:
    """A patient saves one step of their own questionnaire (validated by the step's form first).
    Answers can change until the questionnaire is sent to the clinic. Any PHQ-9 question 9
    answer above 0 (fixed) raises an urgent task for the responsible clinician at once."""
    access.ensure(actor.role == Role.PATIENT)
    if step not in questionnaire.BY_KEY:
        raise ServiceError("There is no such step.")
    pathway = pathway_lock(actor)
    if pathway.state not in (PathwayState.INVITED, PathwayState.INTAKE):
        raise ServiceError("Your answers have been sent to the clinic and cannot be changed here.")
    clinic = clinic_settings_get()
    response, _ = QuestionnaireResponse.objects.select_for_update().get_or_create(patient=actor)
    current = dict(response.answers)
    status = questionnaire.step_status(step, current, audit_c_cut_off=clinic.audit_c_positive_score)
    if status in (questionnaire.CANNOT_START, questionnaire.NOT_NEEDED):
        raise ServiceError("This step is not needed now.")
    current[step] = answers
    response.answers = current
    response.scores = questionnaire.compute_scores(
        current, audit_c_cut_off=clinic.audit_c_positive_score
    )
    response.save()
    if pathway.state == PathwayState.INVITED:
        transition(actor=actor, patient=actor, to=PathwayState.INTAKE)
    audit_record(
        actor=actor,
        action="intake.step_saved",
        target=response,
        patient=actor,
        detail={"step": step},
    )
    flagged = step == "phq_9" and instruments.phq9_self_harm_flag(
        answers, above=engine.SELF_HARM_ABOVE
    )
    if flagged:
        task_raise(
            patient=actor,
            kind="intake.self_harm",
            rule_code=SELF_HARM_RULE,
            threshold=f">{engine.SELF_HARM_ABOVE}",
            trigger_key="intake",
            priority=Task.Priority.URGENT,
        )
    return StepSaved(response=response, self_harm_flag=flagged)


@transaction.atomic
def questionnaire_submit(*, actor: User) -> EligibilityAssessment:
    """The patient sends a complete questionnaire to the clinic; the engine's first look is
    stored with it."""
    access.ensure(actor.role == Role.PATIENT)
    pathway = pathway_lock(actor)
    clinic = clinic_settings_get()
    answers = selectors.answers_of(actor)
    if not questionnaire.is_complete(answers, audit_c_cut_off=clinic.audit_c_positive_score):
        raise ServiceError("Some steps are not finished yet. Finish them, then send your answers.")
    if pathway.state != PathwayState.INTAKE:
        raise ServiceError("Your answers have already been sent.")
    transition(actor=actor, patient=actor, to=PathwayState.REVIEW)
    pathway.refresh_from_db()
    pathway.submitted_at = timezone.now()
    pathway.save(update_fields=["submitted_at", "updated_at"])
    return _assess(actor=actor, patient=actor, purpose="submitted")


# --- Assessments ---------------------------------------------------------------------------------


def _assess(
    *, actor: User | None, patient: User, purpose: str, today: dt.date | None = None
) -> EligibilityAssessment:
    inputs = selectors.engine_inputs_for(patient=patient, today=today)
    gates = engine.evaluate(inputs)
    overridden = frozenset(selectors.live_overrides(patient).values_list("gate", flat=True))
    # An override counts only where the gate may be overridden (engine.is_overridden).
    row = EligibilityAssessment.objects.create(
        patient=patient,
        evaluated_at=timezone.now(),
        evaluated_by=actor,
        purpose=purpose,
        inputs=inputs.as_json(),
        gates=[
            {
                "code": g.code,
                "outcome": g.outcome,
                "reason": g.reason,
                "source": g.source,
                "value": g.value,
                "overridden": engine.is_overridden(g, overridden),
                "overridable": g.overridable,
            }
            for g in gates
        ],
        overall=engine.overall(gates, overridden),
    )
    audit_record(
        actor=actor,
        action="intake.eligibility_assessed",
        target=row,
        patient=patient,
        detail={"purpose": purpose, "overall": row.overall},
    )
    return row


@transaction.atomic
def eligibility_assess(*, actor: User, patient: User) -> EligibilityAssessment:
    """The responsible clinician runs the engine now and keeps the result with its inputs."""
    access.ensure(access.can_manage_patient(actor, patient.pk))
    return _assess(actor=actor, patient=patient, purpose="review")


# --- Clinician records ---------------------------------------------------------------------------


def _record(
    actor: User, patient: User, row: Any, action: str, gate: str = "", **detail: Any
) -> Any:
    access.ensure(access.can_manage_patient(actor, patient.pk))
    row.patient = patient
    row.recorded_by = actor
    row.full_clean()
    row.save()
    audit_record(actor=actor, action=action, target=row, patient=patient, detail=detail)
    if gate:
        _withdraw_overrides(actor=actor, patient=patient, gate=gate)
    return row


def _withdraw_overrides(*, actor: User, patient: User, gate: str) -> None:
    """A new result replaces any override of its gate: the override was a judgement about the
    old result, so the new one is judged afresh."""
    for row in GateOverride.objects.select_for_update().filter(
        patient=patient, gate=gate, withdrawn_at__isnull=True
    ):
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action="intake.override_withdrawn",
            target=row,
            patient=patient,
            detail={"gate": gate, "cause": "new_result"},
        )


@transaction.atomic
def urine_screen_record(*, actor: User, patient: User, screen: UrineDrugScreen) -> UrineDrugScreen:
    """The responsible clinician records a urine drug screen (each opioid on the panel)."""
    result = "positive" if screen.is_positive else "negative"
    row: UrineDrugScreen = _record(
        actor, patient, screen, "intake.urine_screen_recorded", "urine_screen", result=result
    )
    return row


@transaction.atomic
def naloxone_challenge_record(
    *, actor: User, patient: User, challenge: NaloxoneChallenge, cows_answers: dict[str, int]
) -> NaloxoneChallenge:
    """The responsible clinician records a naloxone challenge, with an optional COWS score."""
    if cows_answers:
        challenge.cows_answers = cows_answers
        challenge.cows_total = instruments.score(instruments.COWS, cows_answers).total
    row: NaloxoneChallenge = _record(
        actor,
        patient,
        challenge,
        "intake.naloxone_recorded",
        "naloxone",
        result=challenge.result,
    )
    return row


@transaction.atomic
def liver_test_record(*, actor: User, patient: User, test: LiverFunctionTest) -> LiverFunctionTest:
    """The responsible clinician records liver blood test results with their upper limits."""
    row: LiverFunctionTest = _record(actor, patient, test, "intake.liver_test_recorded", "liver")
    return row


@transaction.atomic
def procedure_record(
    *,
    actor: User,
    patient: User,
    description: str,
    planned_on: dt.date | None,
    opioid_pain_relief_expected: bool,
) -> PlannedProcedure:
    """The responsible clinician notes a planned procedure (a pause will need planning)."""
    row: PlannedProcedure = _record(
        actor,
        patient,
        PlannedProcedure(
            description=description,
            planned_on=planned_on,
            opioid_pain_relief_expected=opioid_pain_relief_expected,
        ),
        "intake.procedure_recorded",
    )
    return row


@transaction.atomic
def washout_plan_record(*, actor: User, patient: User, plan: WashoutPlan) -> WashoutPlan:
    """The responsible clinician records a specialist's washout plan for depot buprenorphine."""
    row: WashoutPlan = _record(
        actor, patient, plan, "intake.washout_plan_recorded", "depot_buprenorphine"
    )
    return row


@transaction.atomic
def pregnancy_advice_record(*, actor: User, patient: User, given_on: dt.date) -> PregnancyAdvice:
    """The responsible clinician records that specialist pregnancy advice was given."""
    row: PregnancyAdvice = _record(
        actor, patient, PregnancyAdvice(given_on=given_on), "intake.pregnancy_advice_recorded"
    )
    return row


@transaction.atomic
def support_record(
    *, actor: User, patient: User, clinic_supervision: bool, counselling_plan: str
) -> None:
    """The responsible clinician records clinic supervision and the counselling plan."""
    access.ensure(access.can_manage_patient(actor, patient.pk))
    if counselling_plan not in ("", "clinic", "outside"):
        raise ServiceError("Choose a counselling plan.", field="counselling_plan")
    pathway = pathway_lock(patient)
    pathway.clinic_supervision = clinic_supervision
    pathway.counselling_plan = counselling_plan
    pathway.save(update_fields=["clinic_supervision", "counselling_plan", "updated_at"])
    audit_record(
        actor=actor,
        action="intake.support_recorded",
        target=pathway,
        patient=patient,
        detail={"clinic_supervision": clinic_supervision, "counselling": counselling_plan},
    )


# --- Overrides and decisions ---------------------------------------------------------------------


@transaction.atomic
def gate_override(*, actor: User, patient: User, gate: str, reason: str) -> GateOverride:
    """The responsible clinician overrides one blocked gate with a written reason of substance
    (the view asks for re-authentication first). One override covers one gate. Gates that guard
    against precipitated withdrawal or liver failure, supervision and the safety acknowledgement
    cannot be overridden."""
    access.ensure(access.can_manage_patient(actor, patient.pk))
    gates = {g.code: g for g in engine.evaluate(selectors.engine_inputs_for(patient=patient))}
    current = gates.get(gate)
    if current is None or current.outcome != engine.BLOCK:
        raise ServiceError("This gate is not blocked, so there is nothing to override.")
    if not current.overridable:
        raise ServiceError(NOT_OVERRIDABLE)
    if len(reason.strip()) < OVERRIDE_REASON_MIN:
        raise ServiceError(
            f"Write a reason of at least {OVERRIDE_REASON_MIN} characters: why is it safe to go "
            "ahead?",
            field="reason",
        )
    if selectors.live_overrides(patient).filter(gate=gate).exists():
        raise ServiceError("This gate is already overridden.")
    assessment = _assess(actor=actor, patient=patient, purpose="override")
    row = GateOverride.objects.create(
        patient=patient,
        gate=gate,
        reason=reason.strip(),
        assessment=assessment,
        overridden_by=actor,
        overridden_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="intake.gate_overridden",
        target=row,
        patient=patient,
        detail={"gate": gate, "assessment": assessment.pk, "reauthenticated": True},
    )
    return row


def _ensure_no_open_self_harm_task(patient: User) -> None:
    if selectors.self_harm_task_open(patient):
        raise ServiceError(
            "Thoughts of self-harm were reported and the urgent task is still open. Close it on "
            "your worklist with your risk assessment before recording a decision."
        )


@transaction.atomic
def decision_eligible(*, actor: User, patient: User, confirm_off_label: bool) -> IntakeDecision:
    """The responsible clinician finds the patient eligible: every gate passes, warns, or is
    overridden, and never while a self-harm task is open. Supervision, counselling and the safety
    acknowledgement hold the first dose back (the page says so), not the decision. Cutting down on
    alcohol is off-label and must be confirmed."""
    access.ensure(access.can_manage_patient(actor, patient.pk))
    pathway = pathway_lock(patient)
    if pathway.state != PathwayState.REVIEW:
        raise ServiceError("Only a questionnaire waiting for review can be decided.")
    _ensure_no_open_self_harm_task(patient)
    assessment = _assess(actor=actor, patient=patient, purpose="decision")
    blocking = [
        g["code"]
        for g in assessment.gates
        if g["outcome"] == engine.BLOCK
        and not g["overridden"]
        and g["code"] not in engine.FIRST_DOSE_ONLY
    ]
    if blocking:
        raise ServiceError(
            "Some gates still block: record the missing results, or override the ones that "
            "can be overridden, first."
        )
    about = selectors.answers_of(patient).get("about", {})
    indication = about.get("indication", "")
    goal = about.get("alcohol_goal", "") if indication in ("alcohol", "both") else ""
    if confirm_off_label and goal != "reduction":
        raise ServiceError(
            "The off-label confirmation is only for the goal of cutting down on alcohol."
        )
    if goal == "reduction" and not confirm_off_label:
        raise ServiceError(
            "Confirm that you have read the off-label notice for cutting down.",
            field="confirm_off_label",
        )
    decision = IntakeDecision.objects.create(
        patient=patient,
        outcome=IntakeDecision.Outcome.ELIGIBLE,
        indication=indication,
        alcohol_goal=goal,
        off_label_confirmed=goal == "reduction",
        assessment=assessment,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    transition(actor=actor, patient=patient, to=PathwayState.ELIGIBLE)
    audit_record(
        actor=actor,
        action="intake.decided",
        target=decision,
        patient=patient,
        detail={"outcome": decision.outcome, "off_label": decision.off_label_confirmed},
    )
    # The dosing part of the portal drafts the treatment plan from this decision
    # (selectors.latest_eligible_decision).
    return decision


@transaction.atomic
def decision_not_eligible(*, actor: User, patient: User, reason_for_patient: str) -> IntakeDecision:
    """The responsible clinician decides naltrexone is not right for now, with a kind reason
    the patient reads."""
    access.ensure(access.can_manage_patient(actor, patient.pk))
    reason = reason_for_patient.strip()
    if not reason:
        raise ServiceError("Write what the patient should be told.", field="reason_for_patient")
    pathway = pathway_lock(patient)
    if pathway.state != PathwayState.REVIEW:
        raise ServiceError("Only a questionnaire waiting for review can be decided.")
    _ensure_no_open_self_harm_task(patient)
    assessment = _assess(actor=actor, patient=patient, purpose="decision")
    decision = IntakeDecision.objects.create(
        patient=patient,
        outcome=IntakeDecision.Outcome.NOT_ELIGIBLE,
        reason_for_patient=reason,
        assessment=assessment,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    transition(actor=actor, patient=patient, to=PathwayState.NOT_ELIGIBLE, reason=reason)
    audit_record(
        actor=actor,
        action="intake.decided",
        target=decision,
        patient=patient,
        detail={"outcome": decision.outcome},
    )
    return decision


# --- The first dose ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstDoseGate:
    allowed: bool
    reasons: list[str]
    assessment: EligibilityAssessment


@transaction.atomic
def first_dose_gate(*, patient: User, today: dt.date | None = None) -> FirstDoseGate:
    """May the first dose be recorded today? Only when the clinician has found the patient
    eligible, every gate passes or is overridden, the current safety messages are acknowledged,
    and a supervisor consent is in force (or the clinic supervises). The check is stored."""
    state = selectors.pathway_state_of(patient)
    assessment = _assess(actor=None, patient=patient, purpose="first_dose", today=today)
    reasons = [
        g["reason"]
        for g in assessment.gates
        if g["outcome"] == engine.BLOCK and not g["overridden"]
    ]
    if state != PathwayState.ELIGIBLE:
        reasons.insert(0, "The clinician has not recorded that the patient is eligible.")
    return FirstDoseGate(allowed=not reasons, reasons=reasons, assessment=assessment)
