"""Supervisors' concerns and closing urgent dosing tasks (DOMAIN.md section 4, tier 3).

- A supervisor whose consent is in force raises a concern: what they saw and how worried they
  are. It becomes an urgent clinician task at once (tier 3). The supervisor sees that it was
  received, never what the clinician did about it.
- "I think they may have used opioids" also raises a re-induction check.
- Urgent dosing tasks (tier 3, concerns, re-induction checks) close like the urgent intake
  tasks: an outcome chosen on purpose, a note, who was called and when, and a confirmation.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.services import audit_record
from apps.core.exceptions import ServiceError
from apps.core.timefmt import when
from apps.dosing.escalation_models import (
    RULE_TIER,
    Alert,
    Concern,
    Rule,
    UrgentTaskClosure,
    Worry,
)
from apps.dosing.models import OPEN_PLAN_STATUSES, TreatmentPlan
from apps.worklist.kinds import OUTCOME_CODES
from apps.worklist.models import Task
from apps.worklist.services import task_raise, task_resolve

MAX_CONCERN_CHARS = 2000
# Tasks that close with a note, the call and a confirmation (the worklist's one-click close is
# refused for them).
DELIBERATE_CLOSE_KINDS = frozenset({"dosing.missed_urgent", "dosing.concern", "dosing.reinduction"})


def when_words(moment: dt.datetime, zone: str) -> str:
    """ "Thursday 9:00am" style, in the reader's time zone, with the date."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return when(local)


def _open_plan(patient_id: int) -> TreatmentPlan | None:
    return TreatmentPlan.objects.filter(
        patient_id=patient_id, status__in=OPEN_PLAN_STATUSES
    ).first()


def _alert_for(*, plan: TreatmentPlan, rule: Rule, key: str, task: Task, now: dt.datetime) -> Alert:
    alert, _created = Alert.objects.get_or_create(
        plan=plan,
        rule=rule,
        key=key,
        defaults={
            "patient_id": plan.patient_id,
            "tier": RULE_TIER[rule],
            "threshold": "reported by a supervisor",
            "recipients": [{"id": task.assignee_id, "role": "clinician"}],
            "created_at": now,
            "delivered_at": now,
            "task": task,
        },
    )
    return alert


@transaction.atomic
def concern_raise(
    *,
    actor: User,
    patient: User,
    what_seen: str,
    worry: str,
    opioid_use_suspected: bool = False,
    now: dt.datetime | None = None,
) -> Concern:
    """A supervisor with consent in force raises a concern: an urgent task for the patient's
    clinician (tier 3), and a re-induction check when opioid use is suspected."""
    access.ensure(actor.role == Role.SUPERVISOR and access.can_supervise(actor, patient.pk))
    what_seen = what_seen.strip()
    if not what_seen:
        raise ServiceError("Say what you saw or heard.", field="what_seen")
    if len(what_seen) > MAX_CONCERN_CHARS:
        raise ServiceError(
            f"Keep it under {MAX_CONCERN_CHARS} characters; the clinic will call you for more.",
            field="what_seen",
        )
    if worry not in Worry.values:
        raise ServiceError("Choose how worried you are.", field="worry")
    now = now or timezone.now()
    concern = Concern.objects.create(
        patient=patient,
        supervisor=actor,
        what_seen=what_seen,
        worry=worry,
        opioid_use_suspected=opioid_use_suspected,
        created_at=now,
    )
    concern.task, _created = task_raise(
        patient=patient,
        kind="dosing.concern",
        rule_code=f"dosing.{Rule.TIER3_CONCERN}",
        trigger_key=f"concern:{concern.pk}",
        priority=Task.Priority.URGENT,
        threshold="supervisor concern",
    )
    concern.save(update_fields=["task"])
    plan = _open_plan(patient.pk)
    if plan is not None:
        _alert_for(
            plan=plan,
            rule=Rule.TIER3_CONCERN,
            key=f"concern:{concern.pk}",
            task=concern.task,
            now=now,
        )
    if opioid_use_suspected:
        check, _created = task_raise(
            patient=patient,
            kind="dosing.reinduction",
            rule_code=f"dosing.{Rule.REINDUCTION_USE}",
            trigger_key=f"concern:{concern.pk}",
            priority=Task.Priority.URGENT,
            threshold="opioid use reported",
        )
        if plan is not None:
            _alert_for(
                plan=plan,
                rule=Rule.REINDUCTION_USE,
                key=f"concern:{concern.pk}",
                task=check,
                now=now,
            )
    audit_record(
        actor=actor,
        action="dosing.concern_raised",
        target=concern,
        patient=patient,
    )
    return concern


def concern_list_for(*, user: User, patient_id: int) -> QuerySet[Concern]:
    """The concerns this supervisor raised about this patient (never anyone else's, never the
    clinician's task)."""
    access.ensure(user.role == Role.SUPERVISOR)
    return Concern.objects.filter(supervisor=user, patient_id=patient_id).only(
        "pk", "created_at", "worry", "patient_id", "supervisor_id"
    )


# --- Closing urgent dosing tasks ----------------------------------------------------------------


def task_get_for_close(*, user: User, pk: int) -> Task:
    """An open urgent dosing task of one of this clinician's patients, or 404."""
    access.ensure(user.role == Role.CLINICIAN)
    task = (
        Task.objects.filter(
            pk=pk,
            kind__in=DELIBERATE_CLOSE_KINDS,
            patient__in=access.patients_visible_to(user),
        )
        .select_related("patient")
        .first()
    )
    if task is None:
        raise Http404
    return task


def concern_for_task(task: Task) -> Concern | None:
    """The concern behind a concern task (what the clinician reads before calling)."""
    return Concern.objects.filter(task=task).select_related("supervisor").first()


@transaction.atomic
def urgent_task_close(
    *,
    actor: User,
    task: Task,
    outcome_code: str,
    note: str,
    called_whom: str,
    called_at: dt.datetime,
    confirmed: bool,
    now: dt.datetime | None = None,
) -> UrgentTaskClosure:
    """The patient's clinician closes an urgent dosing task on purpose: an outcome (never a
    default), a note, who was called and when, and a confirmation."""
    now = now or timezone.now()
    access.ensure(access.can_manage_patient(actor, task.patient_id))
    if task.kind not in DELIBERATE_CLOSE_KINDS:
        raise ServiceError("This task closes from the worklist.")
    if outcome_code not in OUTCOME_CODES:
        raise ServiceError("Choose what happened.", field="outcome_code")
    note = note.strip()
    if not note:
        raise ServiceError("Write a short note of what was agreed.", field="note")
    called_whom = called_whom.strip()
    if not called_whom:
        raise ServiceError(
            "Say who you called (or tried to call), for example 'the patient'.",
            field="called_whom",
        )
    if called_at > now:
        raise ServiceError("The call cannot be in the future.", field="called_at")
    if called_at < task.created_at - dt.timedelta(days=1):
        raise ServiceError("Give the time of the call about this task.", field="called_at")
    if not confirmed:
        raise ServiceError("Confirm that you want to close this task.", field="confirmed")
    task = task_resolve(
        actor=actor,
        task=task,
        outcome_code=outcome_code,
        note=note,
        confirmed=True,
        deliberate=True,
    )
    closure = UrgentTaskClosure.objects.create(
        task=task,
        outcome_code=outcome_code,
        note=note,
        called_whom=called_whom[:120],
        called_at=called_at,
        closed_by=actor,
        closed_at=now,
    )
    audit_record(
        actor=actor,
        action="dosing.urgent_task_closed",
        target=closure,
        patient=task.patient_id,
        detail={"kind": task.kind},
    )
    return closure
