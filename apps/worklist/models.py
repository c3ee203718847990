"""Clinician tasks: things a named clinician must act on, raised by rules (a self-harm answer,
a missed dose) and resolved with an outcome code. The same trigger raises one task only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Task(models.Model):
    class Priority(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        NORMAL = "normal", _("Normal")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="worklist_tasks")
    assignee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="assigned_tasks")
    # What kind of task it is (a code such as "intake.self_harm"); the title is derived from it.
    kind = models.CharField(max_length=40)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The rule that raised it, the threshold it crossed, and what triggered it (one task each).
    rule_code = models.CharField(max_length=40)
    threshold = models.CharField(max_length=40, blank=True, default="")
    trigger_key = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    resolved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome_code = models.CharField(max_length=40, blank=True, default="")
    # What the clinician did and found (for a self-harm task: the risk assessment).
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("status", "priority", "created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("patient", "rule_code", "trigger_key"), name="task_once_per_trigger"
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | (
                    Q(resolved_at__isnull=False)
                    & Q(resolved_by__isnull=False)
                    & ~Q(outcome_code="")
                ),
                name="task_done_is_resolved",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=["urgent", "normal"]), name="task_priority_valid"
            ),
            # An urgent task is closed deliberately: with a written note.
            models.CheckConstraint(
                condition=Q(status="open") | Q(priority="normal") | ~Q(note=""),
                name="task_urgent_done_has_note",
            ),
        ]
        indexes = [models.Index(fields=("assignee", "status"), name="task_assignee_status")]

    def __str__(self) -> str:
        return f"Task #{self.pk}"
