"""Reading clinician tasks: a clinician sees the open tasks of patients on their caseload."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.worklist.models import Task

_URGENT_FIRST = Case(
    When(priority=Task.Priority.URGENT, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def task_list_for(*, user: User, status: str = Task.Status.OPEN) -> QuerySet[Task]:
    """Tasks about this clinician's patients, urgent first, then oldest first."""
    access.ensure(user.role == Role.CLINICIAN)
    return (
        Task.objects.filter(status=status, patient__in=access.patients_managed_by(user))
        .select_related("patient")
        .annotate(urgency=_URGENT_FIRST)
        .order_by("urgency", "created_at", "pk")
    )


def task_get_for(*, user: User, pk: int) -> Task:
    """One task about a patient on this clinician's caseload, or 404."""
    access.ensure(user.role == Role.CLINICIAN)
    task = (
        Task.objects.filter(pk=pk, patient__in=access.patients_managed_by(user))
        .select_related("patient")
        .first()
    )
    if task is None:
        raise Http404
    return task


def open_task_patient_ids(*, patient_ids: list[int]) -> dict[int, int]:
    """Patient id -> number of open urgent tasks (one query, for queues and caseloads)."""
    rows = Task.objects.filter(
        patient_id__in=patient_ids, status=Task.Status.OPEN, priority=Task.Priority.URGENT
    ).values_list("patient_id", flat=True)
    counts: dict[int, int] = {}
    for pid in rows:
        counts[pid] = counts.get(pid, 0) + 1
    return counts


def tasks_export(*, patient: User) -> list[dict[str, Any]]:
    """The clinic's tasks about this patient, for the patient's own download."""
    rows = (
        Task.objects.filter(patient=patient)
        .order_by("created_at", "pk")
        .values("kind", "priority", "status", "rule_code", "created_at", "resolved_at")
    )
    return [dict(row) for row in rows]
