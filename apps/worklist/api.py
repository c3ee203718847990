"""API for the worklist: a clinician's open tasks, urgent first, as on the web worklist.

Tasks are read here, never closed: closing one is deliberate (an outcome chosen on purpose, a
note, for urgent tasks a confirmation) and happens on the task's page in the portal, `web_url`.
Together with `alerts/` (apps/dosing/api.py) this is the clinician's open alerts and tasks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.access import HasRole, Role
from apps.api.requests import user_of
from apps.audit.services import audit_read_list
from apps.dosing.alerts import alert_of_task
from apps.worklist import selectors
from apps.worklist.kinds import kind_of, kind_title, task_close_path
from apps.worklist.models import Task


class TaskSerializer(serializers.Serializer[Task]):
    id = serializers.IntegerField()
    patient = serializers.IntegerField(source="patient_id")
    patient_name = serializers.CharField(source="patient.full_name")
    kind = serializers.CharField(
        help_text="What kind of task, as a stable code (for example intake.self_harm)."
    )
    title = serializers.SerializerMethodField(help_text="What the task is, in plain words.")
    action = serializers.SerializerMethodField(
        help_text="What the clinician should do, in a few words (may be empty)."
    )
    priority = serializers.ChoiceField(choices=Task.Priority.choices)
    is_urgent = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(help_text="When the task was raised (UTC).")
    alert = serializers.IntegerField(
        source="raised_by_alert",
        allow_null=True,
        help_text="The alert (in alerts/) that raised it, or null when no alert did.",
    )
    web_url = serializers.SerializerMethodField(
        help_text="The task's page in the portal, where it is closed on purpose."
    )

    def get_title(self, task: Task) -> str:
        return kind_title(task.kind)

    def get_action(self, task: Task) -> str:
        return kind_of(task.kind).action

    def get_is_urgent(self, task: Task) -> bool:
        return task.priority == Task.Priority.URGENT

    @extend_schema_field(serializers.URLField())
    def get_web_url(self, task: Task) -> str:
        return f"{settings.SITE_URL}{task_close_path(kind=task.kind, task_id=task.pk)}"


class TaskListView(ListAPIView[Task]):
    """Open tasks of my patients, urgent first, then oldest first (the web worklist's order)."""

    permission_classes = [HasRole.of(Role.CLINICIAN)]
    serializer_class = TaskSerializer

    def get_queryset(self) -> Any:
        return selectors.task_list_for(user=user_of(self.request)).annotate(
            raised_by_alert=alert_of_task()
        )

    @extend_schema(
        summary="My patients' open tasks, urgent first",
        description="The clinician's worklist. A task leaves this list only when it is closed, "
        "on purpose, on its page in the portal (web_url); acknowledging its alert does not "
        "close it. Reading the list is recorded on each listed patient's record of who has "
        "seen it, as the web worklist is.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        tasks: list[Task] = list(page or [])
        audit_read_list(
            actor=user_of(request), patient_ids=[t.patient_id for t in tasks], what="worklist"
        )
        return self.get_paginated_response(self.get_serializer(tasks, many=True).data)
