"""A clinician's open alerts (DOMAIN.md section 4): what the escalation rules raised for the
patients they are responsible for, urgent first, and acknowledging one ("I have seen it").

An alert is open until its clinician acknowledges it or closes its task. Acknowledging does not
close an urgent task: that still needs the deliberate close (a note, the call, a confirmation).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.services import audit_record
from apps.dosing.escalation_models import Alert, Rule
from apps.worklist.models import Task

# Tier 3 and the re-induction checks raise urgent tasks: they come first.
URGENT_Q = (
    Q(tier=3)
    | Q(rule__in=(Rule.REINDUCTION_GAP, Rule.REINDUCTION_USE))
    | Q(task__priority=Task.Priority.URGENT)
)


def _caseload_alerts(user: User) -> QuerySet[Alert]:
    access.ensure(user.role == Role.CLINICIAN)
    return Alert.objects.filter(patient__in=access.patients_managed_by(user))


def alert_list_for(*, user: User) -> QuerySet[Alert]:
    """Open alerts of this clinician's active patients (not acknowledged, task not closed),
    urgent first, then newest first."""
    return (
        _caseload_alerts(user)
        .filter(acknowledged_at__isnull=True)
        .exclude(task__status=Task.Status.DONE)
        .annotate(
            is_urgent=Case(When(URGENT_Q, then=Value(True)), default=Value(False)),
        )
        .select_related("patient", "task")
        .order_by("-is_urgent", "-created_at", "-pk")
    )


def alert_of_task() -> Subquery:
    """The id of the alert that raised a task (the task is the outer query's row), or null:
    one subquery in a list of tasks, not a query per row. An alert raises at most one task and
    each task's trigger is one alert, so the first is the only one."""
    return Subquery(Alert.objects.filter(task_id=OuterRef("pk")).order_by("pk").values("pk")[:1])


def alert_get_for(*, user: User, pk: int) -> Alert:
    """One alert of this clinician's patients, or 404."""
    alert = (
        _caseload_alerts(user)
        .annotate(
            is_urgent=Case(
                When(URGENT_Q, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .select_related("patient", "task")
        .filter(pk=pk)
        .first()
    )
    if alert is None:
        raise Http404
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, now: dt.datetime | None = None) -> Alert:
    """The patient's responsible clinician marks an alert seen. Acknowledging again changes
    nothing (the first acknowledgement stands)."""
    access.ensure(access.can_manage_patient(actor, alert.patient_id))
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.acknowledged_at is None:
        locked.acknowledged_at = now or timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_record(
            actor=actor, action="dosing.alert_acknowledged", target=locked, patient=alert.patient_id
        )
    alert.acknowledged_at = locked.acknowledged_at
    alert.acknowledged_by_id = locked.acknowledged_by_id
    return alert
