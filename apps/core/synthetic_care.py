"""The synthetic clinic's treatment and appointments, in bulk (called by apps/core/synthetic.py).

For each synthetic patient whose pathway says treatment has begun: a treatment plan with its
versions (start; a pause or a stop where the pathway says so) and supervisors, the scheduled
doses from the first day to the clinic's fill-ahead window, and what happened at each past
dose: mostly witnessed, some taken unsupervised, some recorded late with a reason, a few
missed, refused or vomited. The last day's doses are partly unrecorded, so the missed-dose sweep
has work. Missed doses carry their escalation alerts (tier 1, and tier 3 with an urgent task
for two in a row), some supervisors raised a concern, every clinician publishes weekly hours,
and patients have past counselling sessions and some a coming one.

Rows keep every database constraint (one open plan per patient, plans of at least 12 months,
one dose per patient and day, at most 150 mg, one current outcome per dose, taken outcomes with
a time, one alert per dose and tier, one live booking per clinician and start time). Patients
are handled a hundred at a time so memory stays flat however large the clinic.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery

from apps.accounts.roles import Role
from apps.audit.models import AuditEvent
from apps.core.bulk import insert_rows
from apps.counselling.models import AvailabilityRule, Booking, LocationKind
from apps.dosing.escalation_models import RULE_TIER, Alert, Concern, Rule, Worry
from apps.dosing.models import (
    TABLET_MG,
    Change,
    DoseOutcome,
    Indication,
    PlanStatus,
    PlanVersion,
    Schedule,
    ScheduledDose,
    TreatmentPlan,
)
from apps.dosing.schedule import mg_on
from apps.intake.models import PathwayState
from apps.worklist.models import Task

ZONE = "Europe/London"
LONDON = zoneinfo.ZoneInfo(ZONE)
FILL_AHEAD_DAYS = 28
# Which pathway states have a plan, and its status.
PLAN_STATUS: dict[str, str] = {
    PathwayState.INDUCTION: PlanStatus.ACTIVE,
    PathwayState.MAINTENANCE: PlanStatus.ACTIVE,
    PathwayState.REVIEW: PlanStatus.ACTIVE,
    PathwayState.PAUSED: PlanStatus.PAUSED,
    PathwayState.STOPPED: PlanStatus.STOPPED,
}
SCHEDULES = [
    (Schedule.DAILY, 60),
    (Schedule.EVERY_2, 15),
    (Schedule.MWF, 15),
    (Schedule.EVERY_3, 10),
]
SUPERVISION_HOURS = [8, 9, 10, 12, 17, 18, 19]
# What happened at a dose after the first (weights). "late" is witnessed, recorded late.
OUTCOMES = [
    ("witnessed", 81),
    ("self_reported", 8),
    ("late", 2),
    ("missed", 5),
    ("refused", 2),
    ("vomited", 1),
]
MISSED_AGAIN = 0.3
GOALS = [
    "Stay off heroin and keep my job",
    "Be there for my children",
    "Stop drinking and get my health back",
    "Keep away from opioids after prison",
    "Cut down my drinking and sleep better",
]
CONCERNS = [
    ("They seemed very low and did not want to talk.", Worry.A_LITTLE, False),
    ("They missed the dose and I could not reach them all evening.", Worry.QUITE, False),
    ("I found foil and they were drowsy when I arrived.", Worry.VERY, True),
]
CHUNK = 100  # patients handled together (doses and outcomes for ~100 x D days)
LATE_REASON = "Taken on time, recorded later"


@dataclass
class Counts:
    plans: int = 0
    doses: int = 0
    outcomes: int = 0
    alerts: int = 0
    concerns: int = 0
    bookings: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Dose:
    plan_id: int
    version_id: int
    patient_id: int
    due_at: dt.datetime
    local_date: dt.date
    mg: int
    pk: int = 0

    @property
    def tablets(self) -> Decimal:
        return Decimal(self.mg) / TABLET_MG


@dataclass
class _Outcome:
    dose: _Dose
    outcome: str
    taken_at: dt.datetime | None
    recorded_by_id: int
    recorded_at: dt.datetime
    late: bool


@dataclass(frozen=True)
class Patient:
    pk: int
    clinician_id: int
    state: str
    joined_days_ago: int
    supervisors: tuple[int, ...]


def _local_dt(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON).astimezone(dt.UTC)


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Callable[[], Any]:
    values, weights = zip(*pairs, strict=True)
    cumulative = list(weights)
    for i in range(1, len(cumulative)):
        cumulative[i] += cumulative[i - 1]

    def pick() -> Any:
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick


def build_treatment(
    patients: list[Patient],
    *,
    days: int,
    now: dt.datetime,
    rng: random.Random,
    step: Callable[[int], None],
) -> Counts:
    """Plans, versions, doses, outcomes, alerts, tasks, concerns and their audit rows."""
    today = now.astimezone(LONDON).date()
    pick_schedule = _weighted(rng, SCHEDULES)
    pick_outcome = _weighted(rng, OUTCOMES)
    counts = Counts()
    for start in range(0, len(patients), CHUNK):
        chunk = [p for p in patients[start : start + CHUNK] if p.state in PLAN_STATUS]
        counts.add(_chunk(chunk, days, now, today, rng, pick_schedule, pick_outcome))
        step(len(patients[start : start + CHUNK]))
    return counts


def _chunk(
    chunk: list[Patient],
    days: int,
    now: dt.datetime,
    today: dt.date,
    rng: random.Random,
    pick_schedule: Callable[[], Any],
    pick_outcome: Callable[[], Any],
) -> Counts:
    counts = Counts()
    if not chunk:
        return counts
    # Plans and their versions.
    plans: list[TreatmentPlan] = []
    starts: list[dt.date] = []
    ends: list[dt.date | None] = []
    for p in chunk:
        status = PLAN_STATUS[p.state]
        history = max(2, min(days, p.joined_days_ago - 7 if p.joined_days_ago > 9 else 2))
        first_day = today - dt.timedelta(days=history)
        end = None
        if status != PlanStatus.ACTIVE:
            end = first_day + dt.timedelta(days=max(1, int(history * rng.uniform(0.5, 0.9))))
        indication = rng.choice([Indication.OPIOID, Indication.OPIOID, Indication.ALCOHOL])
        plans.append(
            TreatmentPlan(
                patient_id=p.pk,
                responsible_clinician_id=p.clinician_id,
                indication=indication,
                alcohol_goal="abstinence" if indication == Indication.ALCOHOL else "",
                goal=rng.choice(GOALS),
                status=status,
                created_by_id=p.clinician_id,
                ended_at=(_local_dt(end, 11) if status in (PlanStatus.STOPPED,) and end else None),
            )
        )
        starts.append(first_day)
        ends.append(end)
    TreatmentPlan.objects.bulk_create(plans)
    counts.plans = len(plans)

    versions: list[PlanVersion] = []
    dosing_version: list[PlanVersion] = []
    for p, plan, first_day, end in zip(chunk, plans, starts, ends, strict=True):
        schedule = pick_schedule()
        common = {
            "plan_id": plan.pk,
            "schedule": schedule,
            "supervision_time": dt.time(rng.choice(SUPERVISION_HOURS)),
            "time_zone": ZONE,
            "treatment_start": first_day,
            "planned_review": first_day + dt.timedelta(days=91),
            "planned_end": first_day + dt.timedelta(days=366),
            "clinic_supervision": False,
            "created_by_id": p.clinician_id,
        }
        first = PlanVersion(
            number=1,
            change=Change.START,
            induction_first=True,
            effective_from=first_day,
            created_at=_local_dt(first_day - dt.timedelta(days=1), 11),
            **common,
        )
        versions.append(first)
        dosing_version.append(first)
        if end is not None:
            closing = Change.PAUSE if plan.status == PlanStatus.PAUSED else Change.STOP
            versions.append(
                PlanVersion(
                    number=2,
                    change=closing,
                    induction_first=False,
                    effective_from=end,
                    created_at=_local_dt(end, 11),
                    reason=(
                        "Paused for planned surgery"
                        if closing == Change.PAUSE
                        else "Stopped at the patient's request"
                    ),
                    **common,
                )
            )
    PlanVersion.objects.bulk_create(versions)
    by_patient = {p.pk: p for p in chunk}
    patient_of_plan = {plan.pk: plan.patient_id for plan in plans}
    first_day_of_plan = {plan.pk: first_day for plan, first_day in zip(plans, starts, strict=True)}
    through = PlanVersion.supervisors.through
    through.objects.bulk_create(
        [
            through(planversion_id=v.pk, user_id=s)
            for v in versions
            for s in by_patient[patient_of_plan[v.plan_id]].supervisors
        ]
    )
    # The plan was made when its first version was.
    TreatmentPlan.objects.filter(pk__in=[p.pk for p in plans]).update(
        created_at=Subquery(
            PlanVersion.objects.filter(plan=OuterRef("pk"), number=1).values("created_at")[:1]
        )
    )

    # Doses: from the first day to the end (closed plans) or the fill-ahead window.
    doses: list[_Dose] = []
    for p, plan, version, end in zip(chunk, plans, dosing_version, ends, strict=True):
        last = (end - dt.timedelta(days=1)) if end else today + dt.timedelta(days=FILL_AHEAD_DAYS)
        day = version.effective_from
        clock = version.supervision_time
        while day <= last:
            mg = mg_on(
                day,
                schedule=version.schedule,
                effective_from=version.effective_from,
                induction_first=True,
            )
            if mg is not None:
                due = _local_dt(day, clock.hour, clock.minute)
                doses.append(_Dose(plan.pk, version.pk, p.pk, due, day, mg))
            day += dt.timedelta(days=1)
    insert_rows(
        ScheduledDose,
        ("plan", "version", "patient", "due_at", "local_date", "tablets", "mg"),
        [
            (d.plan_id, d.version_id, d.patient_id, d.due_at, d.local_date, d.tablets, d.mg)
            for d in doses
        ],
    )
    plan_ids = [plan.pk for plan in plans]
    dose_pk = {
        (patient_id, day): pk
        for patient_id, day, pk in ScheduledDose.objects.filter(plan_id__in=plan_ids).values_list(
            "patient_id", "local_date", "pk"
        )
    }
    for d in doses:
        d.pk = dose_pk[(d.patient_id, d.local_date)]
    counts.doses = len(doses)

    # What happened at each past dose.
    outcomes: list[_Outcome] = []
    missed: list[tuple[_Dose, bool]] = []  # (dose, second in a row)
    previous_missed: dict[int, bool] = defaultdict(bool)
    for dose in doses:
        if dose.due_at > now:
            continue
        p = by_patient[dose.patient_id]
        recorder = p.supervisors[0] if p.supervisors else p.pk
        if dose.local_date == first_day_of_plan[dose.plan_id]:
            kind, recorder = "witnessed", p.clinician_id  # the first dose, at the clinic
        elif dose.local_date >= today - dt.timedelta(days=1) and rng.random() < 0.15:
            continue  # not recorded yet: the sweep's work
        elif previous_missed[dose.plan_id] and rng.random() < MISSED_AGAIN:
            kind = "missed"  # missed doses come in runs: a lapse lasts more than a day
        else:
            kind = pick_outcome()
        late = kind == "late"
        outcome = "witnessed" if late else kind
        if outcome == "self_reported":
            recorder = p.pk
        taken = outcome in ("witnessed", "self_reported")
        taken_at = dose.due_at + dt.timedelta(minutes=rng.randrange(0, 50)) if taken else None
        recorded_at = (
            dose.due_at + dt.timedelta(hours=5)
            if late
            else dose.due_at + dt.timedelta(minutes=rng.randrange(50, 90))
        )
        outcomes.append(_Outcome(dose, outcome, taken_at, recorder, min(recorded_at, now), late))
        is_missed = outcome in ("missed", "refused")
        if is_missed:
            missed.append((dose, previous_missed[dose.plan_id]))
        previous_missed[dose.plan_id] = is_missed
    insert_rows(
        DoseOutcome,
        (
            "dose",
            "outcome",
            "taken_at",
            "recorded_by",
            "recorded_at",
            "late_reason",
            "note",
            "is_current",
        ),
        [
            (
                o.dose.pk,
                o.outcome,
                o.taken_at,
                o.recorded_by_id,
                o.recorded_at,
                LATE_REASON if o.late else "",
                "",
                True,
            )
            for o in outcomes
        ],
    )
    outcome_pk = dict(
        DoseOutcome.objects.filter(dose__plan_id__in=plan_ids).values_list("dose_id", "pk")
    )
    counts.outcomes = len(outcomes)

    # Escalation: tier 1 for each missed dose; tier 3 (and an urgent task) for two in a row.
    tasks: dict[int, Task] = {}
    for dose, second in missed:
        if second:
            p = by_patient[dose.patient_id]
            at = dose.due_at + dt.timedelta(hours=22)
            done = at < now - dt.timedelta(days=3)
            tasks[dose.pk] = Task(
                patient_id=p.pk,
                assignee_id=p.clinician_id,
                kind="dosing.missed_urgent",
                priority=Task.Priority.URGENT,
                status=Task.Status.DONE if done else Task.Status.OPEN,
                rule_code=f"dosing.{Rule.TIER3_CONSECUTIVE.value}",
                threshold="2 missed in a row",
                trigger_key=f"synthetic-dose:{dose.pk}",
                created_at=at,
                resolved_by_id=p.clinician_id if done else None,
                resolved_at=at + dt.timedelta(hours=3) if done else None,
                outcome_code="reached" if done else "",
                note="Spoke to the patient; back on track from tomorrow." if done else "",
            )
    Task.objects.bulk_create(list(tasks.values()))
    alerts: list[Alert] = []
    for dose, second in missed:
        p = by_patient[dose.patient_id]
        tier1 = dose.due_at + dt.timedelta(hours=2)
        people: list[dict[str, object]] = [{"id": p.pk, "role": "patient"}]
        people += [{"id": s, "role": "supervisor"} for s in p.supervisors]
        alerts.append(
            Alert(
                patient_id=p.pk,
                plan_id=dose.plan_id,
                dose_id=dose.pk,
                tier=RULE_TIER[Rule.TIER1_LATE],
                rule=Rule.TIER1_LATE,
                key=f"dose:{dose.pk}",
                threshold="2 h after the due time",
                recipients=people,
                created_at=tier1,
                delivered_at=tier1,
            )
        )
        if second:
            at = dose.due_at + dt.timedelta(hours=22)
            alerts.append(
                Alert(
                    patient_id=p.pk,
                    plan_id=dose.plan_id,
                    dose_id=dose.pk,
                    tier=RULE_TIER[Rule.TIER3_CONSECUTIVE],
                    rule=Rule.TIER3_CONSECUTIVE,
                    key=f"dose:{dose.pk}",
                    threshold="2 missed in a row",
                    recipients=[{"id": p.clinician_id, "role": "clinician"}],
                    created_at=at,
                    delivered_at=at,
                    task_id=tasks[dose.pk].pk,
                )
            )

    # Concerns: one patient in twenty-five with a supervisor had one raised.
    concerns: list[Concern] = []
    for p, first_day in zip(chunk, starts, strict=True):
        if p.supervisors and p.pk % 25 == 0:
            text, worry, use = rng.choice(CONCERNS)
            ago = rng.randrange(max(1, (today - first_day).days))
            concerns.append(
                Concern(
                    patient_id=p.pk,
                    supervisor_id=p.supervisors[0],
                    what_seen=text,
                    worry=worry,
                    opioid_use_suspected=use,
                    created_at=now - dt.timedelta(days=ago, hours=rng.randrange(24)),
                )
            )
    Concern.objects.bulk_create(concerns)
    plan_of = {p.patient_id: p.pk for p in plans}
    alerts.extend(
        Alert(
            patient_id=concern.patient_id,
            plan_id=plan_of[concern.patient_id],
            tier=RULE_TIER[Rule.TIER3_CONCERN],
            rule=Rule.TIER3_CONCERN,
            key=f"concern:{concern.pk}",
            threshold="a supervisor's concern",
            recipients=[{"id": by_patient[concern.patient_id].clinician_id, "role": "clinician"}],
            created_at=concern.created_at,
            delivered_at=concern.created_at,
        )
        for concern in concerns
    )
    Alert.objects.bulk_create(alerts, batch_size=2000)
    counts.alerts = len(alerts)
    counts.concerns = len(concerns)

    # The audit trail of what the services would have written.
    clinicians = {p.clinician_id for p in chunk}
    insert_rows(
        AuditEvent,
        (
            "at",
            "actor",
            "actor_role",
            "action",
            "patient",
            "target_type",
            "target_id",
            "request_id",
            "detail",
        ),
        [
            (
                o.recorded_at,
                o.recorded_by_id,
                _role_of(o.recorded_by_id, by_patient, clinicians),
                "dosing.outcome_recorded",
                o.dose.patient_id,
                "dosing.doseoutcome",
                str(outcome_pk[o.dose.pk]),
                "",
                {"late": o.late, "first_dose": o.recorded_by_id in clinicians, "dose": o.dose.pk},
            )
            for o in outcomes
        ]
        + [
            (
                c.created_at,
                c.supervisor_id,
                Role.SUPERVISOR,
                "dosing.concern_raised",
                c.patient_id,
                "dosing.concern",
                str(c.pk),
                "",
                {},
            )
            for c in concerns
        ],
    )
    return counts


def _role_of(user_id: int, by_patient: dict[int, Patient], clinicians: set[int]) -> str:
    if user_id in by_patient:
        return Role.PATIENT
    return Role.CLINICIAN if user_id in clinicians else Role.SUPERVISOR


# --- Appointments -------------------------------------------------------------------------------


def build_counselling(
    patients: list[Patient],
    clinician_ids: list[int],
    *,
    days: int,
    now: dt.datetime,
    rng: random.Random,
) -> int:
    """Weekly hours for each clinician without any (Monday to Friday, 9:00am to 5:00pm), a
    monthly past session for each patient in treatment (most attended), and a coming session
    for one in four. Returns the number of bookings."""
    have_hours = set(
        AvailabilityRule.objects.filter(clinician_id__in=clinician_ids).values_list(
            "clinician_id", flat=True
        )
    )
    AvailabilityRule.objects.bulk_create(
        [
            AvailabilityRule(
                clinician_id=c,
                weekday=weekday,
                start_time=dt.time(9),
                end_time=dt.time(17),
                session_minutes=50,
                buffer_minutes=10,
                location_kind=LocationKind.ROOM,
                location="Room 1, first floor",
            )
            for c in clinician_ids
            if c not in have_hours
            for weekday in range(5)
        ]
    )
    taken = set(
        Booking.objects.filter(
            clinician_id__in=clinician_ids, status=Booking.Status.BOOKED
        ).values_list("clinician_id", "starts_at")
    )
    today = now.astimezone(LONDON).date()
    next_free: dict[int, tuple[dt.date, int]] = {}
    bookings: list[Booking] = []
    for p in patients:
        if p.state not in PLAN_STATUS:
            continue
        history = max(2, min(days, p.joined_days_ago))
        # Past sessions about once a month, on a weekday at an hour within the weekly hours.
        for back in range(14, history, 30):
            day = _weekday_on_or_before(today - dt.timedelta(days=back))
            starts_at = _local_dt(day, rng.randrange(9, 16))
            status = rng.choices([Booking.Status.ATTENDED, Booking.Status.DID_NOT_ATTEND], [9, 1])[
                0
            ]
            bookings.append(_booking(p, starts_at, status))
        if rng.random() < 0.25 and PLAN_STATUS[p.state] == PlanStatus.ACTIVE:
            day, hour = next_free.get(p.clinician_id, (today + dt.timedelta(days=3), 9))
            while True:
                day = _weekday_on_or_after(day)
                starts_at = _local_dt(day, hour)
                hour += 2
                if hour > 15:
                    day, hour = day + dt.timedelta(days=1), 9
                if (p.clinician_id, starts_at) not in taken:
                    break
            next_free[p.clinician_id] = (day, hour)
            taken.add((p.clinician_id, starts_at))
            bookings.append(_booking(p, starts_at, Booking.Status.BOOKED))
    Booking.objects.bulk_create(bookings, batch_size=2000)
    return len(bookings)


def _booking(p: Patient, starts_at: dt.datetime, status: str) -> Booking:
    return Booking(
        patient_id=p.pk,
        clinician_id=p.clinician_id,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=50),
        location_kind=LocationKind.ROOM,
        location="Room 1, first floor",
        status=status,
        booked_by_id=p.clinician_id,
        attendance_marked_by_id=p.clinician_id if status != Booking.Status.BOOKED else None,
    )


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() > 4:
        day -= dt.timedelta(days=1)
    return day


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return day


__all__: list[str] = ["Counts", "Patient", "build_counselling", "build_treatment"]
