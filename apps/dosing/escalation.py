"""Missed-dose escalation (DOMAIN.md section 4).

`escalation_sweep` runs every few minutes (beat schedule in settings). It looks at every active
plan with a fixed number of queries, however many patients there are:

1. the clinic's settings; 2-4. active plans with the last dose taken on each (`_plans`);
5. per-patient overrides; 6. supervisors whose consent is in force; 7. recent doses with their
current outcome; 8-9. marking doses nobody recorded within the window as missed (one insert of
outcomes, one of audit events); 10. one insert of the alerts that fired; 11. the alerts not yet
delivered.

Each alert is created once per (dose, tier) and once per (plan, rule, key): the database holds
both, and the inserts skip rows that already exist, so a sweep that runs twice raises nothing
new. Delivering an alert (worklist task, notifications) is a separate, per-alert task
(`alert_deliver`), queued after the sweep commits; it is idempotent too.

Rules, with their default thresholds (clinic settings, some per patient):
- tier 1: due time + 2 h and no record: a reminder to the patient and supervisors.
- tier 2: the protection of the last dose taken has run out and no dose has been taken since:
  a clinician task "patient unprotected", the overdose-risk message to the patient, and the
  supervisors asked to check in.
- tier 3: 2 missed doses in a row, or 3 missed in 7 days (or a supervisor's concern, raised in
  apps/dosing/concerns.py): an urgent clinician task.
- re-induction: more than 3 days since the last dose taken, with a later dose missed (or opioid
  use reported in a concern): "re-induction check required".

"Missed" here counts doses recorded as missed or refused: in both the tablet was not taken.
Plans whose first dose has not been taken yet are left alone: treatment has not started.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from apps.accounts.models import SupervisorConsent, User, active_consent_q
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_get
from apps.dosing.escalation_models import RULE_TIER, Alert, EscalationOverride, Rule
from apps.dosing.models import (
    TAKEN_OUTCOMES,
    DoseOutcome,
    Outcome,
    PlanStatus,
    ScheduledDose,
    TreatmentPlan,
)
from apps.dosing.selectors import protected_hours

# Outcomes that count as a missed dose for tier 3 and re-induction: the tablet was not taken.
MISSED_OUTCOMES = (Outcome.MISSED, Outcome.REFUSED)
AUTO_MISSED_NOTE = "Marked missed by the escalation sweep: nothing was recorded in time."
# Doses due this many days back are looked at (tier 3 counts back from each of them).
EVALUATE_DAYS = 14
# The last dose taken is looked for first among outcomes taken this many days back.
RECENT_TAKEN_DAYS = 35


@dataclass(frozen=True)
class Thresholds:
    late_hours: int
    missed_after_hours: int
    gap_days: int
    consecutive: int
    in_window: int
    window_days: int


def thresholds_for(clinic: ClinicSettings, override: EscalationOverride | None) -> Thresholds:
    """The clinic's thresholds, with the patient's own where a clinician set one."""

    def pick(name: str) -> int:
        own = getattr(override, name, None) if override is not None else None
        return int(own if own is not None else getattr(clinic, name))

    return Thresholds(
        late_hours=pick("dose_late_hours"),
        missed_after_hours=pick("dose_missed_after_hours"),
        gap_days=pick("reinduction_gap_days"),
        consecutive=clinic.tier3_consecutive_missed,
        in_window=clinic.tier3_missed_in_window,
        window_days=clinic.tier3_window_days,
    )


@dataclass
class _Dose:
    id: int
    plan_id: int
    due_at: dt.datetime
    outcome: str | None


@dataclass
class SweepResult:
    marked_missed: int = 0
    alerts_created: int = 0
    to_deliver: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    pk: int
    patient_id: int
    clinician_id: int
    # The last dose taken (current records only): outcome, when, how much, which dose.
    last_id: int | None
    last_at: dt.datetime | None
    last_mg: int | None
    last_dose_id: int | None


def _last_taken(**where: object) -> dict[int, tuple[int, dt.datetime | None, int, int]]:
    """The last dose taken on each active plan matching `where`: plan id -> (outcome id, taken
    at, mg, dose id). One query: a window over the taken outcomes, newest first within each
    plan (ties: the later record)."""
    rows = (
        DoseOutcome.objects.filter(
            is_current=True,
            outcome__in=TAKEN_OUTCOMES,
            dose__plan__status=PlanStatus.ACTIVE,
            **where,
        )
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("dose__plan_id")],
                order_by=[F("taken_at").desc(), F("pk").desc()],
            )
        )
        .filter(newest=1)
        .values_list("dose__plan_id", "pk", "taken_at", "dose__mg", "dose_id")
    )
    return {row[0]: row[1:] for row in rows}


def _plans(now: dt.datetime) -> list[_Plan]:
    """Active plans with the last dose taken on each, in three queries whatever the number of
    plans (not a subquery per plan, which took seconds at a regional service's size):

    1. the newest taken outcome of each plan among those taken in the last RECENT_TAKEN_DAYS
       (an index on the time taken keeps this small). Exact: any outcome left out was taken
       earlier than every one looked at;
    2. active plans;
    3. for active plans with nothing taken in that time, the newest over their whole history
       (few plans: the index on the plan's doses). Always run, so the count stays fixed.
    """
    last = _last_taken(taken_at__gte=now - dt.timedelta(days=RECENT_TAKEN_DAYS))
    rows = list(
        TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE).values_list(
            "pk", "patient_id", "responsible_clinician_id"
        )
    )
    # [0] when every plan was found: no plan has id 0, and the query still runs.
    rest = [pk for pk, _patient, _clinician in rows if pk not in last] or [0]
    last.update(_last_taken(dose__plan_id__in=rest))
    return [
        _Plan(pk, patient_id, clinician_id, *last.get(pk, (None, None, None, None)))
        for pk, patient_id, clinician_id in rows
    ]


def _recent_doses(now: dt.datetime, days: int) -> list[_Dose]:
    current = DoseOutcome.objects.filter(dose=OuterRef("pk"), is_current=True)
    rows = (
        ScheduledDose.objects.filter(
            plan__status=PlanStatus.ACTIVE,
            due_at__lte=now,
            due_at__gte=now - dt.timedelta(days=days),
        )
        .annotate(current=Subquery(current.values("outcome")[:1]))
        .order_by("plan_id", "due_at")
        .values_list("pk", "plan_id", "due_at", "current")
    )
    return [_Dose(id=r[0], plan_id=r[1], due_at=r[2], outcome=r[3]) for r in rows]


def _mark_missed(
    doses: list[_Dose],
    plans: dict[int, _Plan],
    limits: dict[int, Thresholds],
    now: dt.datetime,
) -> int:
    """Doses nobody recorded within the window become "missed" (one insert; a dose recorded
    meanwhile keeps its record: the one-current-outcome index skips it)."""
    late = [
        d
        for d in doses
        if d.outcome is None
        and plans[d.plan_id].last_at is not None  # treatment has started
        and d.due_at + dt.timedelta(hours=limits[d.plan_id].missed_after_hours) <= now
    ]
    if not late:
        return 0
    DoseOutcome.objects.bulk_create(
        [
            DoseOutcome(
                dose_id=d.id,
                outcome=Outcome.MISSED,
                recorded_by_id=plans[d.plan_id].clinician_id,
                recorded_at=now,
                note=AUTO_MISSED_NOTE,
            )
            for d in late
        ],
        ignore_conflicts=True,
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=None,
                actor_role="system",
                action="dosing.outcome_marked_missed",
                patient_id=plans[d.plan_id].patient_id,
                target_type="dosing.scheduleddose",
                target_id=str(d.id),
            )
            for d in late
        ]
    )
    for d in late:
        d.outcome = Outcome.MISSED
    return len(late)


def _alert(
    plan: _Plan,
    rule: Rule,
    key: str,
    threshold: str,
    recipients: list[dict[str, object]],
    now: dt.datetime,
    dose_id: int | None,
) -> Alert:
    return Alert(
        patient_id=plan.patient_id,
        plan_id=plan.pk,
        dose_id=dose_id,
        tier=RULE_TIER[rule],
        rule=rule,
        key=key,
        threshold=threshold,
        recipients=recipients,
        created_at=now,
    )


def _tier3(
    plan: _Plan, doses: list[_Dose], t: Thresholds, now: dt.datetime
) -> list[tuple[Rule, _Dose, str]]:
    """Tier 3 fires at the dose that completes a run of missed doses (2 in a row), and at the
    dose that brings the count within the window to the threshold (3 in 7 days)."""
    fired: list[tuple[Rule, _Dose, str]] = []
    evaluate_from = now - dt.timedelta(days=EVALUATE_DAYS)
    run = 0
    missed_times: list[dt.datetime] = []
    for d in doses:
        if d.outcome is None:
            continue
        if d.outcome not in MISSED_OUTCOMES:
            run = 0
            continue
        run += 1
        window_start = d.due_at - dt.timedelta(days=t.window_days)
        missed_times = [m for m in missed_times if m > window_start] + [d.due_at]
        if d.due_at < evaluate_from:
            continue
        if run == t.consecutive:
            fired.append((Rule.TIER3_CONSECUTIVE, d, f"{t.consecutive} missed in a row"))
        elif len(missed_times) == t.in_window:
            fired.append((Rule.TIER3_WINDOW, d, f"{t.in_window} missed in {t.window_days} days"))
    return fired


def _plan_alerts(
    plan: _Plan,
    doses: list[_Dose],
    t: Thresholds,
    clinic: ClinicSettings,
    supervisors: list[int],
    now: dt.datetime,
) -> list[Alert]:
    clinician: dict[str, object] = {"id": plan.clinician_id, "role": "clinician"}
    patient: dict[str, object] = {"id": plan.patient_id, "role": "patient"}
    sups: list[dict[str, object]] = [{"id": s, "role": "supervisor"} for s in supervisors]
    alerts: list[Alert] = []
    last_at, last_id, last_dose_id = plan.last_at, plan.last_id, plan.last_dose_id
    if last_at is None or plan.last_mg is None:
        return alerts  # the first dose has not been taken: treatment has not started
    hours = protected_hours(plan.last_mg, clinic)

    # Tier 1: no record by the due time + 2 h (still within the window for a late record).
    alerts.extend(
        _alert(
            plan,
            Rule.TIER1_LATE,
            f"dose:{d.id}",
            f"{t.late_hours} h after the due time",
            [patient, *sups],
            now,
            d.id,
        )
        for d in doses
        if d.outcome is None and d.due_at + dt.timedelta(hours=t.late_hours) <= now
    )
    # Tier 2: the blockade of the last dose taken has ended and nothing has been taken since.
    if last_at + dt.timedelta(hours=hours) <= now:
        alerts.append(
            _alert(
                plan,
                Rule.TIER2_UNPROTECTED,
                f"outcome:{last_id}",
                f"{hours} h after the last dose",
                [clinician, patient, *sups],
                now,
                last_dose_id,
            )
        )
    # Tier 3.
    for rule, dose, threshold in _tier3(plan, doses, t, now):
        alerts.append(_alert(plan, rule, f"dose:{dose.id}", threshold, [clinician], now, dose.id))
    # Re-induction: a gap of more than N days since the last dose taken, with a later dose
    # missed (a dose merely not yet recorded does not count).
    missed_since = any(d.due_at > last_at and d.outcome in MISSED_OUTCOMES for d in doses)
    if now - last_at > dt.timedelta(days=t.gap_days) and missed_since:
        alerts.append(
            _alert(
                plan,
                Rule.REINDUCTION_GAP,
                f"outcome:{last_id}",
                f"more than {t.gap_days} days without a dose",
                [clinician],
                now,
                last_dose_id,
            )
        )
    return alerts


@transaction.atomic
def escalation_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Apply tiers 1-3 and the re-induction rule to every active plan, in a fixed number of
    queries. Running it again at the same moment creates nothing new."""
    now = now or timezone.now()
    result = SweepResult()
    clinic = clinic_settings_get()
    plan_rows = _plans(now)
    if not plan_rows:
        return result
    plans = {p.pk: p for p in plan_rows}
    patient_ids = [p.patient_id for p in plan_rows]
    overrides = {
        o.patient_id: o for o in EscalationOverride.objects.filter(patient_id__in=patient_ids)
    }
    limits = {pk: thresholds_for(clinic, overrides.get(p.patient_id)) for pk, p in plans.items()}
    supervisors: dict[int, list[int]] = defaultdict(list)
    for patient_id, supervisor_id in SupervisorConsent.objects.filter(
        active_consent_q(), patient_id__in=patient_ids, supervisor__isnull=False
    ).values_list("patient_id", "supervisor_id"):
        supervisors[patient_id].append(supervisor_id)

    window = max(t.window_days for t in limits.values())
    doses = _recent_doses(now, EVALUATE_DAYS + window)
    result.marked_missed = _mark_missed(doses, plans, limits, now)
    by_plan: dict[int, list[_Dose]] = defaultdict(list)
    for d in doses:
        by_plan[d.plan_id].append(d)

    alerts: list[Alert] = []
    for pk, plan in plans.items():
        alerts += _plan_alerts(
            plan, by_plan[pk], limits[pk], clinic, supervisors[plan.patient_id], now
        )
    if alerts:
        # Existing alerts (same dose and tier, or same plan, rule and key) are skipped.
        Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    result.to_deliver = list(
        Alert.objects.filter(delivered_at__isnull=True, plan_id__in=plans.keys()).values_list(
            "pk", flat=True
        )
    )
    result.alerts_created = len(alerts)

    if result.to_deliver:
        from apps.dosing.escalation_tasks import deliver_alert

        ids = list(result.to_deliver)
        transaction.on_commit(lambda: [deliver_alert.delay(pk) for pk in ids])
    return result


# --- Delivering one alert -----------------------------------------------------------------------

TASK_KINDS: dict[str, tuple[str, str]] = {
    # rule -> (worklist kind, priority)
    Rule.TIER2_UNPROTECTED: ("dosing.unprotected", "normal"),
    Rule.TIER3_CONSECUTIVE: ("dosing.missed_urgent", "urgent"),
    Rule.TIER3_WINDOW: ("dosing.missed_urgent", "urgent"),
    Rule.TIER3_CONCERN: ("dosing.concern", "urgent"),
    Rule.REINDUCTION_GAP: ("dosing.reinduction", "urgent"),
    Rule.REINDUCTION_USE: ("dosing.reinduction", "urgent"),
}

# rule -> recipient role -> notification kind (the clinician hears through the worklist task).
NOTIFY: dict[str, dict[str, str]] = {
    Rule.TIER1_LATE: {"patient": "dose_reminder", "supervisor": "dose_reminder"},
    Rule.TIER2_UNPROTECTED: {"patient": "unprotected_safety", "supervisor": "supervision_check_in"},
}


@transaction.atomic
def alert_deliver(*, alert_id: int) -> Alert:
    """Queue an alert's notifications and raise its worklist task, once: a second call (a
    re-queued task) finds it delivered and does nothing."""
    from apps.notifications.services import notification_queue
    from apps.worklist.services import task_raise

    alert = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("patient", "plan__responsible_clinician")
        .get(pk=alert_id)
    )
    if alert.delivered_at is not None:
        return alert
    kinds = NOTIFY.get(alert.rule, {})
    people = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[r["id"] for r in alert.recipients if r.get("role") in kinds]
        )
    }
    for recipient in alert.recipients:
        kind = kinds.get(str(recipient.get("role")))
        person = people.get(int(str(recipient.get("id"))))
        if kind is None or person is None:
            continue
        notification_queue(
            recipient=person,
            kind=kind,
            event_key=f"alert:{alert.pk}",
            context_ids={"patient": alert.patient_id, "alert": alert.pk},
        )
    if alert.rule in TASK_KINDS:
        kind, priority = TASK_KINDS[alert.rule]
        alert.task, _created = task_raise(
            patient=alert.patient,
            kind=kind,
            rule_code=f"dosing.{alert.rule}",
            trigger_key=f"alert:{alert.pk}",
            priority=priority,
            threshold=alert.threshold[:40],
            assignee=alert.plan.responsible_clinician,
        )
    alert.delivered_at = timezone.now()
    alert.save(update_fields=["delivered_at", "task"])
    audit_record(
        actor=None,
        action="dosing.alert_raised",
        target=alert,
        patient=alert.patient_id,
        detail={"count": len(alert.recipients)},
    )
    return alert


def alerts_deliver_pending() -> int:
    """Deliver every alert not yet delivered (the demo and tests; the sweep queues tasks)."""
    ids = list(Alert.objects.filter(delivered_at__isnull=True).values_list("pk", flat=True))
    for pk in ids:
        alert_deliver(alert_id=pk)
    return len(ids)


# --- Per-patient thresholds ---------------------------------------------------------------------


@transaction.atomic
def escalation_override_set(
    *,
    actor: User,
    patient: User,
    reason: str,
    dose_late_hours: int | None = None,
    dose_missed_after_hours: int | None = None,
    reinduction_gap_days: int | None = None,
    now: dt.datetime | None = None,
) -> EscalationOverride:
    """The patient's clinician sets their own escalation thresholds (empty: the clinic's), with
    a reason. Audited with the fields changed, not the values."""
    from apps.accounts import access
    from apps.core.exceptions import ServiceError

    access.ensure(access.can_manage_patient(actor, patient.pk))
    if not reason.strip():
        raise ServiceError("Give a reason for changing this patient's thresholds.", field="reason")
    limits = {
        "dose_late_hours": (dose_late_hours, 1, 12),
        "dose_missed_after_hours": (dose_missed_after_hours, 3, 23),
        "reinduction_gap_days": (reinduction_gap_days, 1, 14),
    }
    for name, (value, low, high) in limits.items():
        if value is not None and not low <= value <= high:
            raise ServiceError(f"Choose a number from {low} to {high}.", field=name)
    clinic = clinic_settings_get()
    late = dose_late_hours or clinic.dose_late_hours
    missed = dose_missed_after_hours or clinic.dose_missed_after_hours
    if missed <= late:
        raise ServiceError(
            "A dose is marked missed only after the reminder: make this later than the "
            "reminder time.",
            field="dose_missed_after_hours",
        )
    override, _created = EscalationOverride.objects.update_or_create(
        patient=patient,
        defaults={
            "dose_late_hours": dose_late_hours,
            "dose_missed_after_hours": dose_missed_after_hours,
            "reinduction_gap_days": reinduction_gap_days,
            "reason": reason.strip(),
            "set_by": actor,
            "set_at": now or timezone.now(),
        },
    )
    changed = [name for name, (value, _low, _high) in limits.items() if value is not None]
    audit_record(
        actor=actor,
        action="dosing.escalation_override_set",
        target=override,
        patient=patient,
        detail={"fields": ",".join(changed)[:64]},
    )
    return override
