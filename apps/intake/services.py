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
    Pathway,
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
        decision_overall=engine.decision_overall(gates, overridden),
    )
    audit_record(
        actor=actor,
        action="intake.eligibility_assessed",
        target=row,
        patient=patient,
        detail={"purpose": purpose},
    )
    return row


@transaction.atomic
def eligibility_assess(*, actor: User, patient: User) -> EligibilityAssessment:
    """The responsible clinician runs the engine now and keeps the result with its inputs."""
    access.ensure(access.can_manage_patient(actor, patient.pk))
    return _assess(actor=actor, patient=patient, purpose="review")


# --- Clinician records ---------------------------------------------------------------------------


def _record(actor: User, patient: User, row: Any, action: str, gate: str = "") -> Any:
    access.ensure(access.can_manage_patient(actor, patient.pk))
    row.patient = patient
    row.recorded_by = actor
    row.full_clean()
    row.save()
    audit_record(actor=actor, action=action, target=row, patient=patient)
    if gate:
        _withdraw_overrides(actor=actor, patient=patient, gate=gate)
    _reassess_in_review(actor=actor, patient=patient, purpose="new_result")
    return row


def _reassess_in_review(*, actor: User, patient: User, purpose: str) -> None:
    """While the questionnaire waits for review, a new result or override is judged at once, so
    the review queue's flags read the gates as they stand now, not as they stood at submission."""
    state = Pathway.objects.filter(patient=patient).values_list("state", flat=True).first()
    if state == PathwayState.REVIEW:
        _assess(actor=actor, patient=patient, purpose=purpose)


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
            detail={"cause": "new_result"},
        )


@transaction.atomic
def urine_screen_record(*, actor: User, patient: User, screen: UrineDrugScreen) -> UrineDrugScreen:
    """The responsible clinician records a urine drug screen (each opioid on the panel)."""
    row: UrineDrugScreen = _record(
        actor, patient, screen, "intake.urine_screen_recorded", "urine_screen"
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
        detail={"assessment": assessment.pk, "reauthenticated": True},
    )
    _reassess_in_review(actor=actor, patient=patient, purpose="after_override")
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
    )
    return decision


# --- The first dose ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstDoseGate:
    allowed: bool
    reasons: list[str]
    assessment: EligibilityAssessment


# Results that go stale: an override of one of these made at the intake decision does not carry
# over to the first dose (DOMAIN.md section 2).
TIME_LIMITED_GATES = frozenset({"urine_screen", "naloxone", "last_opioid"})


@transaction.atomic
def first_dose_gate(*, patient: User, today: dt.date | None = None) -> FirstDoseGate:
    """May the first dose be given on `today` (the patient's day)? Only when the clinician has
    found the patient eligible; every gate passes, or is overridden (for time-limited results:
    overridden again after the intake decision); the naloxone challenge is dated after the last
    reported opioid use and at most the clinic's limit (1 day) before the first dose; a naloxone
    kit at home expires after the first dose; no urgent self-harm task is open; the current
    safety messages are acknowledged; and a supervisor consent is in force (or the clinic
    supervises). The check is stored; the refusal lists each reason in plain words."""
    first_day = today or selectors.patient_today(patient)
    state = selectors.pathway_state_of(patient)
    assessment = _assess(actor=None, patient=patient, purpose="first_dose", today=first_day)
    fresh = _overrides_since_decision(patient)
    reasons: list[str] = []
    for g in assessment.gates:
        if g["outcome"] != engine.BLOCK:
            continue
        if g["overridden"] and (g["code"] not in TIME_LIMITED_GATES or g["code"] in fresh):
            continue
        reason = g["reason"]
        if g["overridden"]:
            reason += (
                " The override made at the intake decision does not carry over to the first "
                "dose: record a fresh result or override it again."
            )
        reasons.append(reason)
    reasons += _naloxone_challenge_reasons(patient, first_day, overridden="naloxone" in fresh)
    reasons += _naloxone_kit_reasons(patient, first_day)
    reasons += _self_harm_reasons(patient)
    if state != PathwayState.ELIGIBLE:
        reasons.insert(0, "The clinician has not recorded that the patient is eligible.")
    return FirstDoseGate(allowed=not reasons, reasons=reasons, assessment=assessment)


def _overrides_since_decision(patient: User) -> frozenset[str]:
    """Gates overridden after the latest eligible decision (made for the first dose)."""
    decision = selectors.latest_eligible_decision(patient=patient)
    overrides = selectors.live_overrides(patient)
    if decision is not None:
        overrides = overrides.filter(overridden_at__gt=decision.decided_at)
    return frozenset(overrides.values_list("gate", flat=True))


def _last_reported_opioid_use(answers: dict[str, Any]) -> dt.date | None:
    """The latest date of opioid use the patient reported (any class)."""
    section = answers.get("substances", {})
    found: list[dt.date] = []
    for key, value in section.items():
        if "last" in key and key.endswith("date") and isinstance(value, str) and value:
            try:
                found.append(dt.date.fromisoformat(value))
            except ValueError:
                continue
    return max(found) if found else None


def _naloxone_challenge_reasons(
    patient: User, first_day: dt.date, *, overridden: bool
) -> list[str]:
    """A negative challenge counts only when done after the last reported opioid use and no
    more than the clinic's limit before the first dose (TIP 63: the challenge shows the patient
    is opioid-free now, so it must be recent)."""
    inputs = selectors.engine_inputs_for(patient=patient, today=first_day)
    challenge = inputs.naloxone
    if overridden or not engine.uses_opioids(inputs) or challenge is None:
        return []  # not needed, overridden afresh, or already refused by the engine's gate
    if challenge.result != "negative":
        return []
    clinic = clinic_settings_get()
    reasons = []
    last_use = _last_reported_opioid_use(dict(inputs.answers))
    if last_use is not None and challenge.done_on <= last_use:
        reasons.append(
            "The naloxone test (a small dose of naloxone to check for withdrawal) was done "
            f"on {challenge.done_on:%-d %B %Y}, not after the last reported opioid use on "
            f"{last_use:%-d %B %Y}. Repeat it."
        )
    age = (first_day - challenge.done_on).days
    limit = clinic.naloxone_challenge_max_age_days
    if age > limit:
        reasons.append(
            f"The naloxone test was done {age} days before the first dose; it must be at most "
            f"{limit} day{'s' if limit != 1 else ''} before. Repeat it."
        )
    return reasons


def _naloxone_kit_reasons(patient: User, first_day: dt.date) -> list[str]:
    """A naloxone kit at home with an expiry date after the first dose (DOMAIN.md 6.3)."""
    from apps.dosing.selectors import naloxone_kit_current

    kit = naloxone_kit_current(patient_id=patient.pk)
    if kit is None:
        return ["No naloxone kit at home is recorded."]
    if kit.expires_on <= first_day:
        return [
            f"The naloxone kit at home expires on {kit.expires_on:%-d %B %Y}, not after the "
            "first dose. Replace it and record the new one."
        ]
    return []


def _self_harm_reasons(patient: User) -> list[str]:
    """An open urgent self-harm task holds the first dose until the clinician closes it after
    assessing the risk."""
    if Task.objects.filter(
        patient=patient, kind="intake.self_harm", status=Task.Status.OPEN
    ).exists():
        return [
            "An urgent task about thoughts of self-harm is open: assess the risk and close the "
            "task first."
        ]
    return []
