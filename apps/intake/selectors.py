"""Reads for intake: the patient's own questionnaire, the clinician's review and queue, and the
inputs the eligibility engine sees. Supervisors never reach any of these."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import SupervisorConsent, User, active_consent_q
from apps.accounts.roles import Role
from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_get
from apps.content.selectors import has_acknowledged_current_safety
from apps.intake import eligibility as engine
from apps.intake.models import (
    EligibilityAssessment,
    GateOverride,
    IntakeDecision,
    LiverFunctionTest,
    NaloxoneChallenge,
    Pathway,
    PathwayState,
    PathwayTransition,
    PlannedProcedure,
    PregnancyAdvice,
    QuestionnaireResponse,
    UrineDrugScreen,
    WashoutPlan,
)
from apps.worklist.models import Task

SELF_HARM_KIND = "intake.self_harm"


def thresholds_from(clinic: ClinicSettings) -> engine.Thresholds:
    """The engine's thresholds from the clinic's settings row."""
    return engine.Thresholds(
        **{f: getattr(clinic, f) for f in engine.Thresholds.__dataclass_fields__}
    )


def patient_today(patient: User) -> dt.date:
    """Today's date where the patient lives (date gates count whole days in their zone)."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(patient.time_zone)).date()


def pathway_state_of(patient: User) -> str:
    """The patient's pathway state ("invited" until they start the questionnaire)."""
    state = Pathway.objects.filter(patient=patient).values_list("state", flat=True).first()
    return state or PathwayState.INVITED


def support_of(patient: User) -> dict[str, Any]:
    """The clinic-supervision flag and counselling plan as recorded so far."""
    row = (
        Pathway.objects.filter(patient=patient)
        .values("clinic_supervision", "counselling_plan")
        .first()
    )
    return dict(row) if row else {}


def answers_of(patient: User) -> dict[str, Any]:
    row = QuestionnaireResponse.objects.filter(patient=patient).first()
    return dict(row.answers) if row else {}


def scores_of(patient: User) -> dict[str, Any]:
    row = QuestionnaireResponse.objects.filter(patient=patient).first()
    return dict(row.scores) if row else {}


def live_overrides(patient: User) -> QuerySet[GateOverride]:
    return GateOverride.objects.filter(patient=patient, withdrawn_at__isnull=True).select_related(
        "overridden_by"
    )


def engine_inputs_for(*, patient: User, today: dt.date | None = None) -> engine.Inputs:
    """Gather everything the engine reads: answers, the latest of each test, the settings, the
    safety acknowledgement and the supervision arrangements."""
    today = today or patient_today(patient)
    clinic = clinic_settings_get()
    uds = UrineDrugScreen.objects.filter(patient=patient).first()
    nal = NaloxoneChallenge.objects.filter(patient=patient).first()
    lft = LiverFunctionTest.objects.filter(patient=patient).first()
    pathway = Pathway.objects.filter(patient=patient).first()
    washout = WashoutPlan.objects.filter(patient=patient).first()
    supervisors = SupervisorConsent.objects.filter(active_consent_q(), patient=patient).count()
    return engine.Inputs(
        today=today,
        answers=answers_of(patient),
        thresholds=thresholds_from(clinic),
        urine_screen=engine.UrineScreenIn(
            taken_on=uds.taken_on,
            positive_for=tuple(
                a for a in UrineDrugScreen.ANALYTES if getattr(uds, a) == "positive"
            ),
        )
        if uds
        else None,
        naloxone=engine.NaloxoneIn(done_on=nal.done_on, result=nal.result) if nal else None,
        liver_test=engine.LiverTestIn(
            taken_on=lft.taken_on,
            alt=lft.alt,
            alt_uln=lft.alt_uln,
            ast=lft.ast,
            ast_uln=lft.ast_uln,
            bilirubin=lft.bilirubin,
            bilirubin_uln=lft.bilirubin_uln,
        )
        if lft
        else None,
        procedure_dates=tuple(
            PlannedProcedure.objects.filter(
                patient=patient, opioid_pain_relief_expected=True
            ).values_list("planned_on", flat=True)
        ),
        pregnancy_advice_given=PregnancyAdvice.objects.filter(patient=patient).exists(),
        safety_acknowledged=has_acknowledged_current_safety(patient_id=patient.pk),
        active_supervisors=supervisors,
        clinic_supervision=bool(pathway and pathway.clinic_supervision),
        counselling_plan=pathway.counselling_plan if pathway else "",
        washout_plan=engine.WashoutPlanIn(
            recorded_on=washout.created_at.date(), earliest_first_dose=washout.earliest_first_dose
        )
        if washout
        else None,
        self_harm_task_open=self_harm_task_open(patient),
    )


def self_harm_task_open(patient: User) -> bool:
    """An urgent self-harm task for this patient is still open (no risk assessment recorded)."""
    return Task.objects.filter(
        patient=patient, kind=SELF_HARM_KIND, status=Task.Status.OPEN
    ).exists()


# --- Clinician -----------------------------------------------------------------------------------


@dataclass
class Review:
    patient: User
    state: str
    answers: dict[str, Any]
    scores: dict[str, Any]
    gates: list[engine.Gate]
    overridden: dict[str, GateOverride]
    urine_screens: list[UrineDrugScreen]
    naloxone_challenges: list[NaloxoneChallenge]
    liver_tests: list[LiverFunctionTest]
    procedures: list[PlannedProcedure]
    pregnancy_advice: list[PregnancyAdvice]
    washout_plans: list[WashoutPlan]
    decisions: list[IntakeDecision]
    pathway: Pathway | None
    open_tasks: list[Task] = field(default_factory=list)


def review_patient_get_for(*, user: User, patient_id: int) -> User:
    """A patient on this clinician's caseload, or 404."""
    access.ensure(user.role == Role.CLINICIAN)
    patient = access.patients_visible_to(user).filter(pk=patient_id).first()
    if patient is None:
        raise Http404
    return patient


def review_get_for(*, user: User, patient_id: int) -> Review:
    """Everything on the review page for one of this clinician's patients (404 otherwise)."""
    patient = review_patient_get_for(user=user, patient_id=patient_id)
    inputs = engine_inputs_for(patient=patient)
    return Review(
        patient=patient,
        state=pathway_state_of(patient),
        answers=dict(inputs.answers),
        scores=scores_of(patient),
        gates=engine.evaluate(inputs),
        overridden={o.gate: o for o in live_overrides(patient)},
        urine_screens=list(
            UrineDrugScreen.objects.filter(patient=patient).select_related("recorded_by")[:5]
        ),
        naloxone_challenges=list(
            NaloxoneChallenge.objects.filter(patient=patient).select_related("recorded_by")[:5]
        ),
        liver_tests=list(
            LiverFunctionTest.objects.filter(patient=patient).select_related("recorded_by")[:5]
        ),
        procedures=list(
            PlannedProcedure.objects.filter(patient=patient).select_related("recorded_by")
        ),
        pregnancy_advice=list(
            PregnancyAdvice.objects.filter(patient=patient).select_related("recorded_by")[:3]
        ),
        washout_plans=list(
            WashoutPlan.objects.filter(patient=patient).select_related("recorded_by")[:3]
        ),
        decisions=list(
            IntakeDecision.objects.filter(patient=patient).select_related("decided_by")[:5]
        ),
        pathway=Pathway.objects.filter(patient=patient).first(),
        open_tasks=list(Task.objects.filter(patient=patient, status=Task.Status.OPEN)),
    )


def intake_queue_for(*, user: User) -> QuerySet[User]:
    """This clinician's patients waiting for review: those with open urgent tasks first, then
    those whose submitted answers raised flags, then the longest waiting."""
    access.ensure(user.role == Role.CLINICIAN)
    latest = EligibilityAssessment.objects.filter(patient=OuterRef("pk")).order_by(
        "-evaluated_at", "-pk"
    )
    return (
        access.patients_visible_to(user)
        .filter(pathway__state=PathwayState.REVIEW)
        .annotate(
            urgent_tasks=Count(
                "worklist_tasks",
                filter=Q(
                    worklist_tasks__status=Task.Status.OPEN,
                    worklist_tasks__priority=Task.Priority.URGENT,
                ),
                distinct=True,
            ),
            latest_overall=Subquery(latest.values("decision_overall")[:1]),
            submitted_at=Subquery(
                Pathway.objects.filter(patient=OuterRef("pk")).values("submitted_at")[:1]
            ),
        )
        .annotate(
            flag_rank=Case(
                When(latest_overall=engine.BLOCK, then=Value(0)),
                When(latest_overall=engine.WARN, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("-urgent_tasks", "flag_rank", "submitted_at", "pk")
    )


def intake_in_progress_for(*, user: User) -> QuerySet[User]:
    """This clinician's patients who have not sent their questionnaire yet."""
    access.ensure(user.role == Role.CLINICIAN)
    return (
        access.patients_visible_to(user)
        .filter(Q(pathway__isnull=True) | Q(pathway__state=PathwayState.INTAKE))
        .order_by("full_name", "pk")
    )


# --- Patient -------------------------------------------------------------------------------------


def latest_decision_for_patient(*, user: User) -> IntakeDecision | None:
    """The patient's own latest decision (what they are told)."""
    access.ensure(user.role == Role.PATIENT)
    return IntakeDecision.objects.filter(patient=user).first()


def latest_eligible_decision(*, patient: User) -> IntakeDecision | None:
    """For the dosing part of the portal: the decision to draft the treatment plan from."""
    return IntakeDecision.objects.filter(
        patient=patient, outcome=IntakeDecision.Outcome.ELIGIBLE
    ).first()


def intake_export(*, patient: User) -> dict[str, Any]:
    """The patient's intake record for their own download (UK GDPR right of access)."""
    return {
        "pathway_state": pathway_state_of(patient),
        "answers": answers_of(patient),
        "scores": scores_of(patient),
        "urine_drug_screens": list(
            UrineDrugScreen.objects.filter(patient=patient).values(
                "taken_on", *UrineDrugScreen.ANALYTES
            )
        ),
        "naloxone_challenges": list(
            NaloxoneChallenge.objects.filter(patient=patient).values(
                "done_on", "route", "dose_mg", "observed_minutes", "result", "cows_total"
            )
        ),
        "liver_tests": list(
            LiverFunctionTest.objects.filter(patient=patient).values(
                "taken_on", "alt", "alt_uln", "ast", "ast_uln", "bilirubin", "bilirubin_uln"
            )
        ),
        "planned_procedures": list(
            PlannedProcedure.objects.filter(patient=patient).values("description", "planned_on")
        ),
        "decisions": list(
            IntakeDecision.objects.filter(patient=patient).values(
                "outcome", "decided_at", "reason_for_patient", "off_label_confirmed"
            )
        ),
        "washout_plans": list(
            WashoutPlan.objects.filter(patient=patient).values(
                "specialist", "last_injection_on", "earliest_first_dose", "plan"
            )
        ),
        "overrides": list(
            GateOverride.objects.filter(patient=patient).values(
                "gate", "reason", "overridden_at", "withdrawn_at"
            )
        ),
        "support": support_of(patient),
        "pathway_history": list(
            PathwayTransition.objects.filter(patient=patient).values(
                "from_state", "to_state", "reason", "at"
            )
        ),
        "eligibility_assessments": list(
            EligibilityAssessment.objects.filter(patient=patient).values(
                "evaluated_at", "purpose", "overall", "gates"
            )
        ),
        "pregnancy_advice": list(
            PregnancyAdvice.objects.filter(patient=patient).values("given_on")
        ),
    }
