"""Raising and resolving clinician tasks."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import PatientProfile, User
from apps.audit.services import audit_record
from apps.core.exceptions import ServiceError
from apps.worklist.kinds import kind_close_url, outcomes_for
from apps.worklist.models import Task

# An urgent task's closing note must say something (not "ok").
URGENT_NOTE_MIN = 20


@transaction.atomic
def task_raise(
    *,
    patient: User,
    kind: str,
    rule_code: str,
    trigger_key: str,
    priority: str = Task.Priority.NORMAL,
    threshold: str = "",
    assignee: User | None = None,
) -> tuple[Task, bool]:
    """A rule raises a task for the patient's responsible clinician, once per trigger: raising
    it again (a re-run sweep, a re-saved answer) returns the existing task."""
    existing = Task.objects.filter(
        patient=patient, rule_code=rule_code, trigger_key=trigger_key
    ).first()
    if existing is not None:
        return existing, False
    if assignee is None:
        profile = PatientProfile.objects.select_related("responsible_clinician").get(
            user_id=patient.pk
        )
        assignee = profile.responsible_clinician
    try:
        with transaction.atomic():
            task = Task.objects.create(
                patient=patient,
                assignee=assignee,
                kind=kind,
                priority=priority,
                rule_code=rule_code,
                threshold=threshold,
                trigger_key=trigger_key,
                created_at=timezone.now(),
            )
    except IntegrityError:  # raised at the same moment by another request
        return Task.objects.get(
            patient=patient, rule_code=rule_code, trigger_key=trigger_key
        ), False
    audit_record(
        actor=None,
        action="worklist.task_raised",
        target=task,
    )
    notify_task_raised(task)
    return task, True


def notify_task_raised(task: Task) -> None:
    """Tell the assignee about a new task through the notification outbox, in the caller's
    transaction: one message per task, urgent ones sent even in the clinician's quiet hours.
    The message carries the task id only; the worklist shows what it is about."""
    from apps.notifications.services import notification_queue

    notification_queue(
        recipient=task.assignee,
        kind="clinician_task",
        event_key=f"task:{task.pk}",
        context_ids={"task": task.pk},
        urgent=task.priority == Task.Priority.URGENT,
    )


@transaction.atomic
def task_resolve(
    *,
    actor: User,
    task: Task,
    outcome_code: str,
    note: str = "",
    confirmed: bool = False,
    deliberate: bool = False,
) -> Task:
    """The patient's responsible clinician closes an open task with an outcome chosen for it.
    An urgent task (self-harm, a tier-3 missed-dose alert) also needs a written note and an
    explicit confirmation: it is never closed by a stray click. Kinds with their own close page
    (`Kind.close_url`) close only from there (`deliberate`), which asks for both itself."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    access.ensure(access.can_manage_patient(actor, task.patient_id))
    if outcome_code not in {code for code, _ in outcomes_for(task.kind)}:
        raise ServiceError("Choose what happened.", field="outcome_code")
    if kind_close_url(task.kind) and not deliberate:
        raise ServiceError("This task needs a note and a confirmation: open it to close it.")
    if task.status == Task.Status.DONE:
        raise ServiceError("This task is already done.")
    note = note.strip()
    if deliberate and not note:
        raise ServiceError("Write a short note of what was agreed.", field="note")
    if task.priority == Task.Priority.URGENT and not deliberate:
        if len(note) < URGENT_NOTE_MIN:
            raise ServiceError(
                f"Write a note of at least {URGENT_NOTE_MIN} characters: what you did and found.",
                field="note",
            )
        if not confirmed:
            raise ServiceError("Confirm that you want to close this urgent task.")
    task.status = Task.Status.DONE
    task.resolved_by = actor
    task.resolved_at = timezone.now()
    task.outcome_code = outcome_code
    task.note = note
    task.save(update_fields=["status", "resolved_by", "resolved_at", "outcome_code", "note"])
    audit_record(actor=actor, action="worklist.task_resolved", target=task)
    _settle_task_notification(actor, task)
    return task


def _settle_task_notification(actor: User, task: Task) -> None:
    """The 'new task' notification is read once the task is closed (notify_task_raised)."""
    from apps.notifications.services import notifications_settle

    notifications_settle(actor=actor, kind="clinician_task", event_key=f"task:{task.pk}")
