"""Reads for dosing. Every read that depends on the user goes through `access.py`: another
patient's plan is 404, a wrong role 403 (the views' decorators).

Seams for the escalation and monitoring work: `protection_for` (the last taken dose and when its
blockade ends), `open_plans_with_current_version` (set-based, for sweeps), and
`TIMELINE_SOURCES` (functions that add entries to a patient's timeline).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    DateTimeField,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import SupervisorConsent, User, active_consent_q
from apps.accounts.roles import Role
from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_cached, clinic_settings_get
from apps.dosing.models import (
    OPEN_PLAN_STATUSES,
    TAKEN_OUTCOMES,
    DoseOutcome,
    NaloxoneKit,
    Outcome,
    PlanStatus,
    PlanVersion,
    ScheduledDose,
    TreatmentPlan,
)
from apps.dosing.schedule import describe

# --- Plans ----------------------------------------------------------------------------------------


def current_version_q() -> Subquery:
    """The number of a plan's newest version, for annotations (one query for many plans)."""
    return Subquery(
        PlanVersion.objects.filter(plan=OuterRef("plan_id"))
        .order_by("-number")
        .values("number")[:1]
    )


def plan_open_for(*, patient_id: int) -> TreatmentPlan | None:
    """The patient's open (active or paused) plan, if any."""
    return (
        TreatmentPlan.objects.filter(patient_id=patient_id, status__in=OPEN_PLAN_STATUSES)
        .select_related("responsible_clinician")
        .first()
    )


def treatment_starts_for(*, patient_ids: list[int]) -> dict[int, dt.date]:
    """Patient id -> first day of their newest treatment plan, for many patients in one query."""
    rows = (
        PlanVersion.objects.filter(plan__patient_id__in=patient_ids, number=1)
        .order_by("plan__patient_id", "-plan__created_at", "-plan_id")
        .values_list("plan__patient_id", "treatment_start")
    )
    starts: dict[int, dt.date] = {}
    for patient_id, start in rows:
        starts.setdefault(patient_id, start)
    return starts


def plan_latest_for(*, patient_id: int) -> TreatmentPlan | None:
    """The patient's newest plan, open or closed."""
    return TreatmentPlan.objects.filter(patient_id=patient_id).first()


def version_current(plan: TreatmentPlan) -> PlanVersion:
    """The version in force: the newest one."""
    version = (
        PlanVersion.objects.filter(plan=plan)
        .prefetch_related("supervisors")
        .order_by("-number")
        .first()
    )
    if version is None:  # a plan is always created with its first version
        raise PlanVersion.DoesNotExist
    return version


def open_plans_with_current_version() -> QuerySet[PlanVersion]:
    """The current version of every active plan, with plan and patient (one query): what the
    fill-ahead task and escalation sweeps walk over."""
    return (
        PlanVersion.objects.filter(plan__status=PlanStatus.ACTIVE)
        .annotate(newest=current_version_q())
        .filter(number=F("newest"))
        .select_related("plan", "plan__patient")
    )


def plan_get_for(*, user: User, pk: int) -> TreatmentPlan:
    """A plan of one of this clinician's patients, or 404."""
    access.ensure(user.role == Role.CLINICIAN)
    plan = (
        TreatmentPlan.objects.filter(pk=pk, patient__in=access.patients_visible_to(user))
        .select_related("patient", "responsible_clinician", "created_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.select_related("created_by")
                .prefetch_related("supervisors")
                .order_by("-number"),
            )
        )
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def patient_get_for(*, user: User, patient_id: int) -> User:
    """A patient this user may see (their clinician, a supervisor with consent in force), or
    404."""
    patient = access.patients_visible_to(user).filter(pk=patient_id).first()
    if patient is None:
        raise Http404
    return patient


def supervisors_in_force(*, patient_id: int) -> list[User]:
    """Supervisors whose consent for this patient is in force now."""
    return [
        c.supervisor
        for c in SupervisorConsent.objects.filter(active_consent_q(), patient_id=patient_id)
        .select_related("supervisor")
        .order_by("supervisor__full_name")
        if c.supervisor is not None
    ]


# --- Protection (DOMAIN.md section 3) --------------------------------------------------------------


def protected_hours(mg: int, clinic: ClinicSettings) -> int:
    """How long a dose blocks opioids: 24 h after 50 mg (or less), 48 h after 100 mg, 72 h after
    150 mg (clinic settings)."""
    if mg <= 50:
        return clinic.protected_hours_50mg
    if mg <= 100:
        return clinic.protected_hours_100mg
    return clinic.protected_hours_150mg


@dataclass(frozen=True)
class Protection:
    last_taken: DoseOutcome | None
    last_witnessed: DoseOutcome | None
    protected_until: dt.datetime | None

    def is_protected(self, now: dt.datetime) -> bool:
        return self.protected_until is not None and self.protected_until > now


def _latest_taken_first() -> list[Any]:
    """Newest taken dose first, for one patient's outcomes.

    Ordered by an expression rather than the bare `taken_at` column on purpose: ordered by the
    column, PostgreSQL walks the clinic-wide `dose_outcome_taken_at` index backwards, testing
    every patient's outcomes until it meets this patient's (12 to 66 ms a call at 2,000 patients,
    the whole index when the patient has none). Ordered by the expression it starts from this
    patient's doses. A taken outcome always has a `taken_at` (constraint
    `dose_outcome_taken_has_time`), so the order is the same."""
    return [Coalesce("taken_at", "recorded_at").desc(), F("pk").desc()]


def _last_current_taken(patient_id: int, outcomes: tuple[str, ...]) -> DoseOutcome | None:
    return (
        DoseOutcome.objects.filter(
            dose__patient_id=patient_id, is_current=True, outcome__in=outcomes
        )
        .select_related("dose", "recorded_by")
        .order_by(*_latest_taken_first())
        .first()
    )


def protection_for(*, patient_id: int, clinic: ClinicSettings | None = None) -> Protection:
    """The last dose taken (witnessed or self-reported, current records only) and the end of
    its blockade. Vomited or spat-out doses do not protect."""
    clinic = clinic or clinic_settings_get()
    taken = _last_current_taken(patient_id, tuple(TAKEN_OUTCOMES))
    witnessed = (
        taken
        if taken is not None and taken.outcome == Outcome.WITNESSED
        else _last_current_taken(patient_id, (Outcome.WITNESSED,))
    )
    until = None
    if taken is not None and taken.taken_at is not None:
        until = taken.taken_at + dt.timedelta(hours=protected_hours(taken.dose.mg, clinic))
    return Protection(last_taken=taken, last_witnessed=witnessed, protected_until=until)


def protected_until_subquery(clinic: ClinicSettings) -> Subquery:
    """`protection_for(...).protected_until` as a subquery of a patient row (`OuterRef("pk")`),
    so a list of patients gets it in the same query: the last current taken dose (witnessed or
    self-reported; ordered as `protection_for` orders it) plus its blockade by strength."""

    def after(hours: int) -> Any:
        return F("taken_at") + Value(dt.timedelta(hours=hours))

    last_taken = (
        DoseOutcome.objects.filter(
            dose__patient_id=OuterRef("pk"), is_current=True, outcome__in=TAKEN_OUTCOMES
        )
        .annotate(
            until=Case(
                When(dose__mg__lte=50, then=after(clinic.protected_hours_50mg)),
                When(dose__mg__lte=100, then=after(clinic.protected_hours_100mg)),
                default=after(clinic.protected_hours_150mg),
                output_field=DateTimeField(),
            )
        )
        .order_by(*_latest_taken_first())
        .values("until")[:1]
    )
    return Subquery(last_taken, output_field=DateTimeField())


def protection_facts(patient_id: int) -> Any:
    """PROTECTION_FACTS_PROVIDER for the content app's overdose panel."""
    from apps.content.panels import ProtectionFacts

    plan = plan_latest_for(patient_id=patient_id)
    if plan is None:
        return None
    stopped = plan.status in (PlanStatus.STOPPED, PlanStatus.DISCHARGED)
    return ProtectionFacts(
        treatment_stopped=stopped,
        # A page, so the kept settings row will do (apps/clinic/selectors.py).
        protected_until=protection_for(
            patient_id=patient_id, clinic=clinic_settings_cached()
        ).protected_until,
    )


def card_dose_info(patient_id: int) -> Any:
    """DOSE_INFO_PROVIDER for the alert card: dose and schedule, the last witnessed dose and
    the blocked-until estimate (from the last dose taken, witnessed or not)."""
    from apps.content.cards import NOTHING_RECORDED, CardDoseInfo

    plan = plan_open_for(patient_id=patient_id)
    if plan is None:
        return NOTHING_RECORDED
    version = version_current(plan)
    protection = protection_for(patient_id=patient_id)
    schedule = (
        describe(version.schedule, supervision_time=version.supervision_time)
        if version.schedules_doses
        else str(version.get_change_display())
    )
    return CardDoseInfo(
        dose_and_schedule=schedule,
        last_witnessed_at=(
            protection.last_witnessed.taken_at if protection.last_witnessed else None
        ),
        blocked_until=protection.protected_until,
    )


# --- Naloxone kit ---------------------------------------------------------------------------------


def naloxone_kit_current(*, patient_id: int) -> NaloxoneKit | None:
    """The newest naloxone kit recorded for the patient."""
    return NaloxoneKit.objects.filter(patient_id=patient_id).first()


# --- Doses ----------------------------------------------------------------------------------------


def patient_today(patient: User, now: dt.datetime | None = None) -> dt.date:
    now = now or timezone.now()
    return now.astimezone(zoneinfo.ZoneInfo(patient.time_zone)).date()


def doses_with_outcomes(qs: QuerySet[ScheduledDose]) -> QuerySet[ScheduledDose]:
    """Doses with their current outcome (and who recorded it) prefetched as `current`."""
    return qs.prefetch_related(
        Prefetch(
            "outcomes",
            queryset=DoseOutcome.objects.filter(is_current=True).select_related("recorded_by"),
            to_attr="current",
        )
    )


def dose_list_for(
    *,
    user: User,
    patient_id: int | None = None,
    from_day: dt.date | None = None,
    to_day: dt.date | None = None,
) -> QuerySet[ScheduledDose]:
    """Scheduled doses of the patients this user may see (access.py: a clinician's caseload, a
    supervisor's patients with consent in force, a patient's own), earliest first, each with its
    current outcome and who recorded it. Days are the patient's local days. A patient the user
    may not see is not found (404)."""
    visible = access.patients_visible_to(user)
    if patient_id is not None:
        if not visible.filter(pk=patient_id).exists():
            raise Http404
        doses = ScheduledDose.objects.filter(patient_id=patient_id)
    else:
        doses = ScheduledDose.objects.filter(patient__in=visible)
    if from_day is not None:
        doses = doses.filter(local_date__gte=from_day)
    if to_day is not None:
        doses = doses.filter(local_date__lte=to_day)
    return doses_with_outcomes(doses.order_by("due_at", "pk"))


def dose_get_for_recording(*, user: User, pk: int) -> ScheduledDose:
    """A dose this user may record an outcome for: the patient's own, a supervised patient's
    (consent in force now), or one of the clinician's patients. 404 otherwise."""
    dose = (
        ScheduledDose.objects.filter(pk=pk, patient__in=access.patients_visible_to(user))
        .select_related("patient", "plan", "version")
        .first()
    )
    if dose is None:
        raise Http404
    return dose


def outcome_get_for(*, user: User, pk: int) -> DoseOutcome:
    """A current dose record of one of this clinician's patients (to correct it), or 404."""
    access.ensure(user.role == Role.CLINICIAN)
    outcome = (
        DoseOutcome.objects.filter(
            pk=pk, is_current=True, dose__patient__in=access.patients_visible_to(user)
        )
        .select_related("dose", "dose__patient", "recorded_by")
        .first()
    )
    if outcome is None:
        raise Http404
    return outcome


def current_outcome(dose: ScheduledDose) -> DoseOutcome | None:
    current: list[DoseOutcome] | None = getattr(dose, "current", None)
    if current is not None:
        return current[0] if current else None
    return dose.outcomes.filter(is_current=True).select_related("recorded_by").first()


# --- Timeline -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # a short code: "plan_version", "dose", ...
    title: str
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


TimelineSource = Callable[[User], list[TimelineEntry]]


def _plan_version_entries(patient: User) -> list[TimelineEntry]:
    versions = PlanVersion.objects.filter(plan__patient=patient).select_related("created_by")
    return [
        TimelineEntry(
            at=v.created_at,
            kind="plan_version",
            title=f"Plan version {v.number}: {v.get_change_display()}",
            detail=(
                f"{describe(v.schedule, supervision_time=v.supervision_time)} from "
                f"{v.effective_from:%-d %B %Y}"
                if v.schedules_doses
                else f"From {v.effective_from:%-d %B %Y}"
            ),
            extra={"by": v.created_by.full_name},
        )
        for v in versions
    ]


def _outcome_entries(patient: User) -> list[TimelineEntry]:
    outcomes = DoseOutcome.objects.filter(dose__patient=patient).select_related(
        "dose", "recorded_by"
    )
    return [
        TimelineEntry(
            at=o.recorded_at,
            kind="dose_outcome",
            title=f"{o.dose.mg} mg dose: {o.get_outcome_display()}"
            + ("" if o.is_current else " (later corrected)")
            + (" (correction)" if o.supersedes_id else ""),
            detail=o.late_reason and f"Recorded late: {o.late_reason}",
            extra={"by": o.recorded_by.full_name, "due_at": o.dose.due_at},
        )
        for o in outcomes
    ]


def _unrecorded_entries(patient: User) -> list[TimelineEntry]:
    doses = ScheduledDose.objects.filter(
        patient=patient, due_at__lt=timezone.now(), outcomes__isnull=True
    )
    return [
        TimelineEntry(at=d.due_at, kind="dose_unrecorded", title=f"{d.mg} mg dose: not recorded")
        for d in doses
    ]


# Other parts of the portal (alerts, concerns, results) add their functions here.
TIMELINE_SOURCES: list[TimelineSource] = [
    _plan_version_entries,
    _outcome_entries,
    _unrecorded_entries,
]


def timeline_for(*, user: User, patient_id: int) -> tuple[User, list[TimelineEntry]]:
    """The patient's treatment timeline, newest first, for their responsible clinician."""
    access.ensure(user.role == Role.CLINICIAN)
    patient = patient_get_for(user=user, patient_id=patient_id)
    entries = [entry for source in TIMELINE_SOURCES for entry in source(patient)]
    return patient, sorted(entries, key=lambda e: e.at, reverse=True)


def patient_today_in(zone: str, now: dt.datetime) -> dt.date:
    """Today's date in a time zone."""
    return now.astimezone(zoneinfo.ZoneInfo(zone)).date()


# Escalation adds alerts and concerns (apps/dosing/escalation_timeline.py).
from apps.dosing.escalation_timeline import (  # noqa: E402
    alert_entries,
    concern_entries,
    liver_entries,
    mood_entries,
)

TIMELINE_SOURCES += [alert_entries, concern_entries, mood_entries, liver_entries]
