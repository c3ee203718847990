"""PHQ-9 and GAD-7 repeated monthly for the first months of treatment, through the patient's
portal (DOMAIN.md section 7), scored with the intake instruments. PHQ-9 question 9 above 0 (the
same rule as at intake) raises an urgent clinician task at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.services import audit_record
from apps.clinic.selectors import clinic_settings_get
from apps.core.exceptions import ServiceError
from apps.dosing.escalation_models import MoodCheck
from apps.dosing.models import OPEN_PLAN_STATUSES, PlanVersion, TreatmentPlan
from apps.dosing.services import add_months
from apps.intake import instruments
from apps.worklist.models import Task
from apps.worklist.services import task_raise

MOOD_ITEM9_RULE = "dosing.mood_item9"


def mood_month_due(*, plan: TreatmentPlan, today: dt.date, done: set[int]) -> int | None:
    """The month whose questionnaires are due now: the latest monthly checkpoint reached, within
    the clinic's first months, not yet filled in (earlier missed months are not chased)."""
    version = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    if version is None:
        return None
    clinic = clinic_settings_get()
    reached = [
        m
        for m in range(1, clinic.mood_monthly_months + 1)
        if add_months(version.treatment_start, m) <= today
    ]
    if not reached or reached[-1] in done:
        return None
    return reached[-1]


def mood_due_for(
    *, patient: User, today: dt.date | None = None
) -> tuple[TreatmentPlan, int] | None:
    """The patient's open plan and the month due now, if any."""
    plan = TreatmentPlan.objects.filter(patient=patient, status__in=OPEN_PLAN_STATUSES).first()
    if plan is None:
        return None
    done = set(MoodCheck.objects.filter(plan=plan).values_list("month", flat=True))
    month = mood_month_due(plan=plan, today=today or timezone.localdate(), done=done)
    return (plan, month) if month is not None else None


@transaction.atomic
def mood_check_submit(
    *,
    actor: User,
    phq9: Mapping[str, int],
    gad7: Mapping[str, int],
    now: dt.datetime | None = None,
) -> MoodCheck:
    """The patient fills in this month's PHQ-9 and GAD-7. Once per month; question 9 above the
    clinic's threshold raises an urgent task for their clinician."""
    access.ensure(actor.role == Role.PATIENT)
    now = now or timezone.now()
    due = mood_due_for(patient=actor, today=timezone.localdate(now))
    if due is None:
        raise ServiceError("There are no mood questionnaires for you to fill in now.")
    plan, month = due
    try:
        phq = instruments.score(instruments.PHQ_9, phq9)
        gad = instruments.score(instruments.GAD_7, gad7)
    except instruments.InstrumentError:
        raise ServiceError("Answer every question to continue.") from None
    try:
        with transaction.atomic():
            check = MoodCheck.objects.create(
                patient=actor,
                plan=plan,
                month=month,
                answers={"phq_9": dict(phq9), "gad_7": dict(gad7)},
                phq9_total=phq.total,
                gad7_total=gad.total,
                submitted_at=now,
            )
    except IntegrityError:
        raise ServiceError("You have already filled in this month's questionnaires.") from None
    flagged = instruments.phq9_self_harm_flag(phq9)  # any answer above 0: fixed
    if flagged:
        # The same urgent task as at intake (DOMAIN.md section 2, mood).
        task_raise(
            patient=actor,
            kind="intake.self_harm",
            rule_code=MOOD_ITEM9_RULE,
            trigger_key=f"mood:{check.pk}",
            priority=Task.Priority.URGENT,
            threshold=">0",
        )
    audit_record(
        actor=actor,
        action="dosing.mood_check_submitted",
        target=check,
        patient=actor,
    )
    return check
