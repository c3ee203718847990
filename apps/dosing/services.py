"""Every write of dosing: plans and their versions, filling doses ahead, dose outcomes and
corrections, and the naloxone kit.

Each service checks permission through `access.py`, runs in a transaction, writes an audit event
(codes only: no notes or reasons in the audit detail) and tells people through the notifications
outbox in the same transaction.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import SupervisorConsent, User, active_consent_q
from apps.accounts.roles import Role
from apps.audit.services import audit_record
from apps.clinic.selectors import clinic_settings_get
from apps.core.exceptions import ServiceError
from apps.dosing import schedule as sched
from apps.dosing import selectors
from apps.dosing.models import (
    MAX_MG_PER_DAY,
    TAKEN_OUTCOMES,
    Change,
    DoseOutcome,
    Indication,
    NaloxoneKit,
    Outcome,
    PlanStatus,
    PlanVersion,
    Schedule,
    ScheduledDose,
    TreatmentPlan,
)
from apps.intake import selectors as intake_selectors
from apps.intake.models import PathwayState
from apps.intake.pathway import pathway_lock, transition
from apps.notifications.services import notification_queue

# --- Helpers --------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _zone_of(patient: User) -> str:
    return patient.time_zone or "Europe/London"


@dataclass(frozen=True)
class ScheduleIn:
    """What the clinician chooses for a version that gives doses."""

    schedule: str
    supervision_time: dt.time
    effective_from: dt.date
    supervisor_ids: tuple[int, ...] = ()
    clinic_supervision: bool = False


def _check_schedule(*, patient: User, data: ScheduleIn, today: dt.date) -> list[User]:
    if data.schedule not in Schedule.values:
        raise ServiceError("Choose a schedule.", field="schedule")
    if data.effective_from < today:
        raise ServiceError("Choose today or a later day.", field="effective_from")
    supervisors = list(
        User.objects.filter(
            pk__in=data.supervisor_ids,
            role=Role.SUPERVISOR,
            supervision_consents__in=SupervisorConsent.objects.filter(
                active_consent_q(), patient=patient
            ),
        ).distinct()
    )
    if len(supervisors) != len(set(data.supervisor_ids)):
        raise ServiceError(
            "Choose only supervisors whose consent is in force.", field="supervisor_ids"
        )
    if not supervisors and not data.clinic_supervision:
        raise ServiceError(
            "Choose at least one supervisor, or record that the clinic supervises.",
            field="supervisor_ids",
        )
    return supervisors


def _new_version(
    *,
    plan: TreatmentPlan,
    previous: PlanVersion | None,
    actor: User,
    change: str,
    reason: str,
    now: dt.datetime,
    data: ScheduleIn | None = None,
    supervisors: list[User] | None = None,
    induction_first: bool = False,
    effective_from: dt.date | None = None,
    treatment_start: dt.date | None = None,
    planned_review: dt.date | None = None,
    planned_end: dt.date | None = None,
) -> PlanVersion:
    """Add a version, carrying forward whatever this change does not set."""
    base: dict[str, Any] = {}
    if previous is not None:
        base = {
            "schedule": previous.schedule,
            "supervision_time": previous.supervision_time,
            "time_zone": previous.time_zone,
            "treatment_start": previous.treatment_start,
            "planned_review": previous.planned_review,
            "planned_end": previous.planned_end,
            "clinic_supervision": previous.clinic_supervision,
        }
    if data is not None:
        base.update(
            schedule=data.schedule,
            supervision_time=data.supervision_time,
            clinic_supervision=data.clinic_supervision,
        )
    version = PlanVersion.objects.create(
        plan=plan,
        number=(previous.number + 1) if previous else 1,
        change=change,
        induction_first=induction_first,
        effective_from=effective_from or (data.effective_from if data else now.date()),
        reason=reason.strip(),
        created_by=actor,
        created_at=now,
        **{
            **base,
            "time_zone": _zone_of(plan.patient),
            **({"treatment_start": treatment_start} if treatment_start else {}),
            **({"planned_review": planned_review} if planned_review else {}),
            **({"planned_end": planned_end} if planned_end else {}),
        },
    )
    if supervisors is not None:
        version.supervisors.set(supervisors)
    elif previous is not None:
        version.supervisors.set(previous.supervisors.all())
    return version


def _drop_future_doses(plan: TreatmentPlan, *, now: dt.datetime) -> int:
    """Future doses nobody has recorded go; past doses and recorded ones are never touched."""
    deleted, _ = (
        ScheduledDose.objects.filter(plan=plan, due_at__gt=now, outcomes__isnull=True)
        .distinct()
        .delete()
    )
    return deleted


def _fill(version: PlanVersion, *, today: dt.date, days_ahead: int) -> int:
    """Create the version's doses from today to `days_ahead` days on. Days that already have a
    dose (recorded, or made by an earlier run) are skipped by the database's uniqueness, so
    running it again changes nothing. Returns the number of doses asked for."""
    if not version.schedules_doses:
        return 0
    planned = sched.doses_between(
        schedule=version.schedule,
        induction_first=version.induction_first,
        supervision_time=version.supervision_time,
        time_zone=version.time_zone,
        effective_from=version.effective_from,
        first_day=today,
        last_day=today + dt.timedelta(days=days_ahead),
    )
    made = ScheduledDose.objects.bulk_create(
        [
            ScheduledDose(
                plan_id=version.plan_id,
                version=version,
                patient_id=version.plan.patient_id,
                due_at=p.due_at,
                local_date=p.local_date,
                tablets=p.tablets,
                mg=p.mg,
            )
            for p in planned
        ],
        ignore_conflicts=True,
    )
    return len(made)


# --- Plans ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanIn:
    goal: str
    treatment_start: dt.date
    planned_review: dt.date
    planned_end: dt.date
    schedule: ScheduleIn


@transaction.atomic
def plan_create(
    *, actor: User, patient: User, data: PlanIn, now: dt.datetime | None = None
) -> TreatmentPlan:
    """The responsible clinician starts a plan for a patient found eligible: 25 mg on the first
    day, then the chosen schedule; at least 12 months; supervisors with consent in force or the
    clinic. Doses are scheduled ahead at once."""
    access.ensure(access.can_manage_patient(actor, patient.pk))
    now = now or timezone.now()
    pathway = pathway_lock(patient)
    if pathway.state != PathwayState.ELIGIBLE:
        raise ServiceError("A plan can be started only for a patient found eligible.")
    if selectors.plan_open_for(patient_id=patient.pk) is not None:
        raise ServiceError("This patient already has a plan.")
    today = selectors.patient_today(patient, now)
    if not data.goal.strip():
        raise ServiceError("Write the goal of treatment.", field="goal")
    if data.treatment_start != data.schedule.effective_from:
        raise ServiceError("The first dose is on the start date.", field="treatment_start")
    if data.planned_end < add_months(data.treatment_start, 12):
        raise ServiceError(
            "Plan at least 12 months of treatment (DOMAIN.md section 1).", field="planned_end"
        )
    if not data.treatment_start < data.planned_review <= data.planned_end:
        raise ServiceError(
            "Choose a review date after the start and before the planned end.",
            field="planned_review",
        )
    supervisors = _check_schedule(patient=patient, data=data.schedule, today=today)
    decision = intake_selectors.latest_eligible_decision(patient=patient)
    indication = {
        "opioids": Indication.OPIOID,
        "alcohol": Indication.ALCOHOL,
        "both": Indication.BOTH,
    }.get(decision.indication if decision else "", Indication.OPIOID)
    plan = TreatmentPlan.objects.create(
        patient=patient,
        responsible_clinician=actor,
        indication=indication,
        alcohol_goal=decision.alcohol_goal if decision else "",
        goal=data.goal.strip(),
        decision=decision,
        created_by=actor,
    )
    version = _new_version(
        plan=plan,
        previous=None,
        actor=actor,
        change=Change.START,
        reason="",
        now=now,
        data=data.schedule,
        supervisors=supervisors,
        induction_first=True,
        treatment_start=data.treatment_start,
        planned_review=data.planned_review,
        planned_end=data.planned_end,
    )
    made = _fill(version, today=today, days_ahead=clinic_settings_get().dose_fill_ahead_days)
    audit_record(
        actor=actor,
        action="dosing.plan_created",
        target=plan,
        patient=patient,
        detail={"schedule": version.schedule, "version": version.number, "doses": made},
    )
    return plan


def _lock_open_plan(plan: TreatmentPlan) -> TreatmentPlan:
    plan = TreatmentPlan.objects.select_for_update().select_related("patient").get(pk=plan.pk)
    if not plan.is_open:
        raise ServiceError("This plan has ended and cannot be changed.")
    return plan


def _require_reason(reason: str) -> None:
    if len(reason.strip()) < 5:
        raise ServiceError("Give a reason for this change.", field="reason")


def _changed(
    actor: User, plan: TreatmentPlan, version: PlanVersion, dropped: int, made: int
) -> None:
    audit_record(
        actor=actor,
        action="dosing.plan_changed",
        target=version,
        patient=plan.patient_id,
        detail={
            "change": version.change,
            "version": version.number,
            "dropped": dropped,
            "made": made,
        },
    )


@transaction.atomic
def plan_schedule_change(
    *,
    actor: User,
    plan: TreatmentPlan,
    data: ScheduleIn,
    reason: str = "",
    now: dt.datetime | None = None,
) -> PlanVersion:
    """The responsible clinician sets a new schedule, time or supervisors from a day on. Future
    doses are made again; past doses stay as they were."""
    access.ensure(access.can_manage_patient(actor, plan.patient_id))
    now = now or timezone.now()
    plan = _lock_open_plan(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ServiceError("The plan is paused: restart it at 25 mg first.")
    today = selectors.patient_today(plan.patient, now)
    supervisors = _check_schedule(patient=plan.patient, data=data, today=today)
    previous = selectors.version_current(plan)
    version = _new_version(
        plan=plan,
        previous=previous,
        actor=actor,
        change=Change.SCHEDULE,
        reason=reason,
        now=now,
        data=data,
        supervisors=supervisors,
    )
    dropped = _drop_future_doses(plan, now=now)
    made = _fill(version, today=today, days_ahead=clinic_settings_get().dose_fill_ahead_days)
    # Days before the new version starts keep the old schedule.
    if data.effective_from > today:
        made += _fill_gap(previous, version, today=today)
    _changed(actor, plan, version, dropped, made)
    return version


def _fill_gap(previous: PlanVersion, version: PlanVersion, *, today: dt.date) -> int:
    """Re-make the old schedule's doses on the days before the new version takes over."""
    if not previous.schedules_doses:
        return 0
    days = (version.effective_from - today).days - 1
    if days < 0:
        return 0
    planned = sched.doses_between(
        schedule=previous.schedule,
        induction_first=previous.induction_first,
        supervision_time=previous.supervision_time,
        time_zone=previous.time_zone,
        effective_from=previous.effective_from,
        first_day=today,
        last_day=today + dt.timedelta(days=days),
    )
    now = timezone.now()
    made = ScheduledDose.objects.bulk_create(
        [
            ScheduledDose(
                plan_id=previous.plan_id,
                version=previous,
                patient_id=version.plan.patient_id,
                due_at=p.due_at,
                local_date=p.local_date,
                tablets=p.tablets,
                mg=p.mg,
            )
            for p in planned
            if p.due_at > now
        ],
        ignore_conflicts=True,
    )
    return len(made)


@transaction.atomic
def plan_pause(
    *,
    actor: User,
    plan: TreatmentPlan,
    effective_from: dt.date,
    reason: str,
    now: dt.datetime | None = None,
) -> PlanVersion:
    """Pause dosing from a day on (for example 72 hours before surgery that may need opioid
    pain relief). Doses from that day are taken off the schedule."""
    access.ensure(access.can_manage_patient(actor, plan.patient_id))
    _require_reason(reason)
    now = now or timezone.now()
    plan = _lock_open_plan(plan)
    if plan.status == PlanStatus.PAUSED:
        raise ServiceError("The plan is already paused.")
    today = selectors.patient_today(plan.patient, now)
    if effective_from < today:
        raise ServiceError("Choose today or a later day.", field="effective_from")
    previous = selectors.version_current(plan)
    version = _new_version(
        plan=plan,
        previous=previous,
        actor=actor,
        change=Change.PAUSE,
        reason=reason,
        now=now,
        effective_from=effective_from,
    )
    dropped, _ = (
        ScheduledDose.objects.filter(
            plan=plan, local_date__gte=effective_from, due_at__gt=now, outcomes__isnull=True
        )
        .distinct()
        .delete()
    )
    plan.status = PlanStatus.PAUSED
    plan.save(update_fields=["status", "updated_at"])
    if intake_selectors.pathway_state_of(plan.patient) in (
        PathwayState.INDUCTION,
        PathwayState.MAINTENANCE,
    ):
        transition(actor=actor, patient=plan.patient, to=PathwayState.PAUSED, reason=reason)
    _changed(actor, plan, version, dropped, 0)
    return version


@transaction.atomic
def plan_restart(
    *,
    actor: User,
    plan: TreatmentPlan,
    data: ScheduleIn,
    reason: str,
    now: dt.datetime | None = None,
) -> PlanVersion:
    """Restart at 25 mg after a pause or a re-induction check (urine screen, and a naloxone
    challenge if in doubt), then the chosen schedule."""
    access.ensure(access.can_manage_patient(actor, plan.patient_id))
    _require_reason(reason)
    now = now or timezone.now()
    plan = _lock_open_plan(plan)
    today = selectors.patient_today(plan.patient, now)
    supervisors = _check_schedule(patient=plan.patient, data=data, today=today)
    previous = selectors.version_current(plan)
    version = _new_version(
        plan=plan,
        previous=previous,
        actor=actor,
        change=Change.RESTART,
        reason=reason,
        now=now,
        data=data,
        supervisors=supervisors,
        induction_first=True,
    )
    dropped = _drop_future_doses(plan, now=now)
    made = _fill(version, today=today, days_ahead=clinic_settings_get().dose_fill_ahead_days)
    was_paused = plan.status == PlanStatus.PAUSED
    plan.status = PlanStatus.ACTIVE
    plan.save(update_fields=["status", "updated_at"])
    state = intake_selectors.pathway_state_of(plan.patient)
    if (was_paused and state == PathwayState.PAUSED) or state == PathwayState.MAINTENANCE:
        transition(actor=actor, patient=plan.patient, to=PathwayState.INDUCTION, reason=reason)
    _changed(actor, plan, version, dropped, made)
    return version


def _end(
    *,
    actor: User,
    plan: TreatmentPlan,
    reason: str,
    status: str,
    change: str,
    now: dt.datetime | None,
) -> PlanVersion:
    access.ensure(access.can_manage_patient(actor, plan.patient_id))
    _require_reason(reason)
    now = now or timezone.now()
    plan = _lock_open_plan(plan)
    previous = selectors.version_current(plan)
    version = _new_version(
        plan=plan,
        previous=previous,
        actor=actor,
        change=change,
        reason=reason,
        now=now,
        effective_from=selectors.patient_today(plan.patient, now),
    )
    dropped = _drop_future_doses(plan, now=now)
    plan.status = status
    plan.ended_at = now
    plan.save(update_fields=["status", "ended_at", "updated_at"])
    state = intake_selectors.pathway_state_of(plan.patient)
    target = PathwayState.STOPPED if status == PlanStatus.STOPPED else PathwayState.DISCHARGED
    if state != target:
        if target == PathwayState.DISCHARGED and state in (
            PathwayState.ELIGIBLE,
            PathwayState.INDUCTION,
            PathwayState.PAUSED,
        ):
            transition(actor=actor, patient=plan.patient, to=PathwayState.STOPPED, reason=reason)
        transition(actor=actor, patient=plan.patient, to=target, reason=reason)
    _changed(actor, plan, version, dropped, 0)
    _tell_about_end(plan, previous, version)
    return version


def _tell_about_end(plan: TreatmentPlan, previous: PlanVersion, version: PlanVersion) -> None:
    """The patient gets the overdose-and-tolerance safety message (DOMAIN.md section 6,
    message 3); supervisors are told that supervision has ended. Messages say only that there
    is something in the portal."""
    notification_queue(
        recipient=plan.patient,
        kind="treatment_safety",
        event_key=f"plan-ended:{version.pk}",
        context_ids={"plan": plan.pk},
    )
    supervisors = {u.pk: u for u in previous.supervisors.all()}
    for consent in SupervisorConsent.objects.filter(
        active_consent_q(), patient_id=plan.patient_id
    ).select_related("supervisor"):
        if consent.supervisor is not None:
            supervisors[consent.supervisor.pk] = consent.supervisor
    for supervisor in supervisors.values():
        notification_queue(
            recipient=supervisor,
            kind="supervision_update",
            event_key=f"plan-ended:{version.pk}",
            context_ids={"patient": plan.patient_id},
        )


@transaction.atomic
def plan_stop(
    *, actor: User, plan: TreatmentPlan, reason: str, now: dt.datetime | None = None
) -> PlanVersion:
    """The responsible clinician stops treatment: future doses go, the patient gets the
    overdose-and-tolerance message and the supervisors are told."""
    return _end(
        actor=actor,
        plan=plan,
        reason=reason,
        status=PlanStatus.STOPPED,
        change=Change.STOP,
        now=now,
    )


@transaction.atomic
def plan_discharge(
    *, actor: User, plan: TreatmentPlan, reason: str, now: dt.datetime | None = None
) -> PlanVersion:
    """The responsible clinician discharges the patient at the end of treatment (same messages
    as a stop)."""
    return _end(
        actor=actor,
        plan=plan,
        reason=reason,
        status=PlanStatus.DISCHARGED,
        change=Change.DISCHARGE,
        now=now,
    )


# --- Filling doses ahead --------------------------------------------------------------------------


def doses_fill_ahead(*, now: dt.datetime | None = None) -> int:
    """Schedule every active plan's doses for the clinic's rolling window. Idempotent: days that
    already have a dose are left alone (the database's uniqueness), so it can run any time."""
    now = now or timezone.now()
    days = clinic_settings_get().dose_fill_ahead_days
    before = ScheduledDose.objects.count()
    for version in selectors.open_plans_with_current_version():
        with transaction.atomic():
            today = selectors.patient_today(version.plan.patient, now)
            _fill(version, today=today, days_ahead=days)
    # bulk_create with ignore_conflicts cannot say which rows were new: count instead.
    return ScheduledDose.objects.count() - before


# --- Outcomes -------------------------------------------------------------------------------------

WITNESS_ROLES = (Role.SUPERVISOR, Role.CLINICIAN)


@dataclass(frozen=True)
class Recorded:
    outcome: DoseOutcome
    created: bool
    message: str


def _may_record(actor: User, dose: ScheduledDose, outcome: str) -> bool:
    """Who may record what (DOMAIN.md section 4): witnessed, refused, vomited and missed by a
    supervisor whose consent is in force at this moment, or by the responsible clinician;
    self-reported by the patient only (who may also say a dose was missed or vomited)."""
    if actor.role == Role.PATIENT:
        return actor.pk == dose.patient_id and outcome in (
            Outcome.SELF_REPORTED,
            Outcome.MISSED,
            Outcome.VOMITED,
        )
    if outcome == Outcome.SELF_REPORTED:
        return False
    if actor.role == Role.SUPERVISOR:
        return access.can_supervise(actor, dose.patient_id)
    if actor.role == Role.CLINICIAN:
        return access.can_manage_patient(actor, dose.patient_id)
    return False


def _already(existing: DoseOutcome) -> Recorded:
    who = existing.recorded_by.display_name
    return Recorded(
        outcome=existing,
        created=False,
        message=f"This dose was already recorded by {who}: {existing.get_outcome_display()}.",
    )


def _is_first_dose(dose: ScheduledDose) -> bool:
    """No dose of this plan has been taken yet."""
    return not DoseOutcome.objects.filter(
        dose__plan_id=dose.plan_id, is_current=True, outcome__in=TAKEN_OUTCOMES
    ).exists()


@transaction.atomic
def dose_outcome_record(
    *,
    actor: User,
    dose: ScheduledDose,
    outcome: str,
    late_reason: str = "",
    note: str = "",
    taken_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Recorded:
    """Record what happened at a dose: one outcome per dose (the database holds it). When two
    people record at the same moment, the second is told who recorded it first. A record more
    than the tier-1 time after the due time needs a reason. The first dose of a plan is
    witnessed at the clinic by the clinician, and only when the first-dose gate allows it."""
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise ServiceError("Choose what happened.", field="outcome")
    access.ensure(_may_record(actor, dose, outcome), "You cannot record this for this dose.")
    # Serialise records of the same dose (PostgreSQL); the partial unique index is the backstop.
    dose = (
        ScheduledDose.objects.select_for_update().select_related("patient", "plan").get(pk=dose.pk)
    )
    existing = dose.outcomes.filter(is_current=True).select_related("recorded_by").first()
    if existing is not None:
        return _already(existing)
    if not dose.plan.is_open:
        raise ServiceError("This plan has ended.")
    if selectors.patient_today(dose.patient, now) < dose.local_date:
        raise ServiceError("This dose is not due yet.")
    clinic = clinic_settings_get()
    is_late = now > dose.due_at + dt.timedelta(hours=clinic.dose_late_hours)
    if is_late and not late_reason.strip():
        raise ServiceError(
            "This record is late: say why (for example, 'taken on time, recorded later').",
            field="late_reason",
        )
    taken = outcome in TAKEN_OUTCOMES
    if taken:
        taken_at = taken_at or now
        if taken_at > now or taken_at < dose.due_at - dt.timedelta(hours=12):
            raise ServiceError("Give a time on the day the dose was due.", field="taken_at")
    first = taken and _is_first_dose(dose)
    if first:
        _first_dose_allowed(actor, dose, now)
    try:
        with transaction.atomic():
            row = DoseOutcome.objects.create(
                dose=dose,
                outcome=outcome,
                taken_at=taken_at if taken else None,
                recorded_by=actor,
                recorded_at=now,
                late_reason=late_reason.strip() if is_late else "",
                note=note.strip(),
            )
    except IntegrityError:
        # Recorded by someone else between our check and our insert (SQLite has no row locks).
        return _already(
            DoseOutcome.objects.select_related("recorded_by").get(dose=dose, is_current=True)
        )
    audit_record(
        actor=actor,
        action="dosing.outcome_recorded",
        target=row,
        patient=dose.patient_id,
        detail={"outcome": outcome, "late": is_late, "first_dose": first, "dose": dose.pk},
    )
    if taken:
        _move_pathway_on(actor, dose, first=first)
    return Recorded(outcome=row, created=True, message="Recorded. Thank you.")


def _first_dose_allowed(actor: User, dose: ScheduledDose, now: dt.datetime) -> None:
    from apps.intake.services import first_dose_gate

    if actor.role != Role.CLINICIAN:
        raise ServiceError(
            "The first dose is given at the clinic: the clinician records it after the "
            "first-dose checks."
        )
    gate = first_dose_gate(patient=dose.patient, today=dose.local_date)
    if not gate.allowed:
        raise ServiceError(
            "The first dose cannot be recorded yet: " + " ".join(gate.reasons), field="outcome"
        )


def _move_pathway_on(actor: User, dose: ScheduledDose, *, first: bool) -> None:
    state = intake_selectors.pathway_state_of(dose.patient)
    if first and state == PathwayState.ELIGIBLE:
        transition(actor=actor, patient=dose.patient, to=PathwayState.INDUCTION)
    elif state == PathwayState.INDUCTION and dose.mg > 25:
        # The first full dose after the 25 mg start: maintenance.
        transition(actor=actor, patient=dose.patient, to=PathwayState.MAINTENANCE)


@transaction.atomic
def dose_outcome_correct(
    *,
    actor: User,
    previous: DoseOutcome,
    outcome: str,
    reason: str,
    taken_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> DoseOutcome:
    """The responsible clinician corrects a record: a new entry supersedes the old one, which
    stays readable. Never an overwrite."""
    now = now or timezone.now()
    previous = DoseOutcome.objects.select_for_update().select_related("dose").get(pk=previous.pk)
    access.ensure(access.can_manage_patient(actor, previous.dose.patient_id))
    if not previous.is_current:
        raise ServiceError("This record has already been corrected.")
    if outcome not in Outcome.values:
        raise ServiceError("Choose what happened.", field="outcome")
    _require_reason(reason)
    taken = outcome in TAKEN_OUTCOMES
    if taken:
        taken_at = taken_at or previous.taken_at or previous.dose.due_at
    previous.is_current = False
    previous.save(update_fields=["is_current"])
    row = DoseOutcome.objects.create(
        dose=previous.dose,
        outcome=outcome,
        taken_at=taken_at if taken else None,
        recorded_by=actor,
        recorded_at=now,
        late_reason=reason.strip(),
        supersedes=previous,
    )
    audit_record(
        actor=actor,
        action="dosing.outcome_corrected",
        target=row,
        patient=previous.dose.patient_id,
        detail={"from": previous.outcome, "to": outcome, "supersedes": previous.pk},
    )
    return row


# --- Naloxone kit ---------------------------------------------------------------------------------


@transaction.atomic
def naloxone_kit_record(
    *, actor: User, patient: User, expires_on: dt.date, now: dt.datetime | None = None
) -> NaloxoneKit:
    """The patient (or their clinician) records the naloxone kit at home and its expiry date
    (DOMAIN.md section 6, message 3)."""
    access.ensure(
        (actor.pk == patient.pk and actor.role == Role.PATIENT)
        or access.can_manage_patient(actor, patient.pk)
    )
    now = now or timezone.now()
    if expires_on <= selectors.patient_today(patient, now):
        raise ServiceError(
            "This kit has expired: ask the clinic or a pharmacy for a new one, then record it.",
            field="expires_on",
        )
    kit = NaloxoneKit.objects.create(
        patient=patient, expires_on=expires_on, recorded_by=actor, recorded_at=now
    )
    audit_record(actor=actor, action="dosing.naloxone_kit_recorded", target=kit, patient=patient)
    return kit


__all__ = [
    "MAX_MG_PER_DAY",
    "PlanIn",
    "Recorded",
    "ScheduleIn",
    "add_months",
    "dose_outcome_correct",
    "dose_outcome_record",
    "doses_fill_ahead",
    "naloxone_kit_record",
    "plan_create",
    "plan_discharge",
    "plan_pause",
    "plan_restart",
    "plan_schedule_change",
    "plan_stop",
]
