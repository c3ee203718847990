"""Monitoring during treatment (DOMAIN.md section 7; NICE TA115, UK SmPC).

- Liver blood tests at 1 month, 3 months, then every 6 months from the start of treatment
  (clinic settings). A test taken up to 14 days before a checkpoint covers it. A checkpoint that
  has passed uncovered raises a clinician task; so does a test during treatment with ALT or AST
  above 3 times the upper limit of normal (clinic setting).
- PHQ-9 and GAD-7 monthly for the first 3 months (clinic setting); urine drug screens at the
  clinic's interval; the plan's treatment review date.

`monitoring_sweep` runs with the escalation sweep: a fixed number of queries for all active
plans, then one task per new finding (each task once per trigger, held by the worklist's unique
constraint). Results are recorded through the intake services (`liver_test_record`,
`urine_screen_record`), which work at any point of the pathway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from apps.accounts.models import User
from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_cached, clinic_settings_get
from apps.core.panels import Panel
from apps.dosing.escalation_models import MoodCheck
from apps.dosing.models import OPEN_PLAN_STATUSES, PlanStatus, PlanVersion, TreatmentPlan
from apps.dosing.services import add_months
from apps.intake.models import LiverFunctionTest, UrineDrugScreen
from apps.worklist.models import Task

COVER_DAYS = 14  # a test this many days before a checkpoint counts for it
LIVER_DUE_RULE = "dosing.liver_test_due"
LIVER_RISE_RULE = "dosing.liver_test_raised"


def liver_checkpoints(start: dt.date, clinic: ClinicSettings, *, until: dt.date) -> list[dt.date]:
    """The liver test dates from the start of treatment up to `until` (inclusive)."""
    points = [
        add_months(start, clinic.liver_test_first_months),
        add_months(start, clinic.liver_test_second_months),
    ]
    months = clinic.liver_test_second_months
    while points[-1] <= until:
        months += clinic.liver_test_every_months
        points.append(add_months(start, months))
    return sorted(set(points))


def liver_next_due(
    start: dt.date, last_test: dt.date | None, clinic: ClinicSettings, today: dt.date
) -> dt.date:
    """The first checkpoint not covered by the last test (it may be in the past: overdue)."""
    for point in liver_checkpoints(start, clinic, until=today + dt.timedelta(days=400)):
        if last_test is None or last_test < point - dt.timedelta(days=COVER_DAYS):
            return point
    return add_months(today, clinic.liver_test_every_months)  # pragma: no cover - guard


MOOD_LABEL = "Mood questions (PHQ-9 and GAD-7)"


@dataclass(frozen=True)
class DueItem:
    label: str
    on: dt.date
    # The patient can do it now in the portal (the mood questions).
    ready: bool = False

    def is_overdue(self, today: dt.date) -> bool:
        return self.on < today


def monitoring_due_for(*, patient: User, today: dt.date | None = None) -> list[DueItem]:
    """What monitoring is next for this patient, soonest first (the patient's own dashboard;
    a handful of queries)."""
    # One query: the open plan's newest version with the patient's last liver test and urine
    # screen dates.
    version = (
        PlanVersion.objects.filter(plan__patient=patient, plan__status__in=OPEN_PLAN_STATUSES)
        .annotate(
            last_lft=Subquery(
                LiverFunctionTest.objects.filter(patient=patient)
                .order_by("-taken_on")
                .values("taken_on")[:1]
            ),
            last_urine=Subquery(
                UrineDrugScreen.objects.filter(patient=patient)
                .order_by("-taken_on")
                .values("taken_on")[:1]
            ),
            last_mood=Subquery(
                MoodCheck.objects.filter(plan=OuterRef("plan"))
                .order_by("-month")
                .values("month")[:1]
            ),
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        return []
    # Shown on pages: the kept settings row will do.
    clinic = clinic_settings_cached()
    today = today or timezone.localdate()
    start = version.treatment_start
    last_lft: dt.date | None = getattr(version, "last_lft", None)
    last_urine: dt.date | None = getattr(version, "last_urine", None)
    items = [
        DueItem("Liver blood test", liver_next_due(start, last_lft, clinic, today)),
        DueItem(
            "Urine drug screen",
            max(last_urine or start, start) + dt.timedelta(days=clinic.urine_screen_interval_days),
        ),
        DueItem("Treatment review with your clinician", version.planned_review),
    ]
    mood = [
        add_months(start, m)
        for m in range(1, clinic.mood_monthly_months + 1)
        if add_months(start, m) >= today
    ]
    last_mood: int | None = getattr(version, "last_mood", None)
    reached = [
        m
        for m in range(1, clinic.mood_monthly_months + 1)
        if add_months(start, m) <= today and m > (last_mood or 0)
    ]
    if reached:  # this month's questions are waiting (earlier missed months are not chased)
        items.append(DueItem(MOOD_LABEL, add_months(start, reached[-1]), ready=True))
    elif mood:
        items.append(DueItem(MOOD_LABEL, mood[0]))
    return sorted(items, key=lambda i: i.on)


@transaction.atomic
def monitoring_sweep(*, today: dt.date | None = None) -> int:
    """Raise clinician tasks for liver tests that are due and not done, and for liver tests
    during treatment above the clinic's multiple of the upper limit. Returns tasks raised."""
    from apps.worklist.services import task_raise

    today = today or timezone.localdate()
    clinic = clinic_settings_get()
    start_q = PlanVersion.objects.filter(plan=OuterRef("pk")).order_by("-number")
    plans = list(
        TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE)
        .annotate(start=Subquery(start_q.values("treatment_start")[:1]))
        .select_related("patient", "responsible_clinician")
    )
    if not plans:
        return 0
    patient_ids = [p.patient_id for p in plans]
    last_lft = dict(
        LiverFunctionTest.objects.filter(patient_id__in=patient_ids)
        .values("patient_id")
        .annotate(last=Max("taken_on"))
        .values_list("patient_id", "last")
    )
    multiple = clinic.liver_rise_multiple
    raised = list(
        LiverFunctionTest.objects.filter(patient_id__in=patient_ids)
        .filter(Q(alt__gt=F("alt_uln") * multiple) | Q(ast__gt=F("ast_uln") * multiple))
        .values_list("pk", "patient_id", "taken_on")
    )
    existing = set(
        Task.objects.filter(
            patient_id__in=patient_ids, rule_code__in=[LIVER_DUE_RULE, LIVER_RISE_RULE]
        ).values_list("patient_id", "rule_code", "trigger_key")
    )
    by_patient = {p.patient_id: p for p in plans}
    wanted: list[tuple[TreatmentPlan, str, str, str, str]] = []
    for plan in plans:
        start: dt.date | None = getattr(plan, "start", None)
        if start is None:
            continue
        due = liver_next_due(start, last_lft.get(plan.patient_id), clinic, today)
        if due <= today:
            wanted.append(
                (plan, "dosing.liver_due", LIVER_DUE_RULE, f"due:{due.isoformat()}", "checkpoint")
            )
    for pk, patient_id, taken_on in raised:
        owner: TreatmentPlan = by_patient[patient_id]
        start = getattr(owner, "start", None)
        if start is not None and taken_on >= start:  # baseline results belong to intake
            wanted.append(
                (owner, "dosing.liver_raised", LIVER_RISE_RULE, f"lft:{pk}", f"{multiple}x ULN")
            )
    count = 0
    for target, kind, rule, key, threshold in wanted:
        if (target.patient_id, rule, key) in existing:
            continue
        _task, created = task_raise(
            patient=target.patient,
            kind=kind,
            rule_code=rule,
            trigger_key=key,
            threshold=threshold,
            assignee=target.responsible_clinician,
        )
        count += int(created)
    return count


def patient_panel(user: User) -> Panel | None:
    """'Next monitoring due' on the patient's dashboard, while a plan is open."""
    today = timezone.localdate()
    items = monitoring_due_for(patient=user, today=today)
    if not items:
        return None
    rows = [{"label": i.label, "on": i.on, "overdue": i.is_overdue(today)} for i in items]
    return Panel(template="dosing/_monitoring_panel.html", context={"items": rows}, order=40)
