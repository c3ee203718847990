"""The worklist's words in the clinician's inbox: which task, for whom, and a button that opens
the task itself (named in apps/notifications/kinds.py)."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts import access
from apps.accounts.models import User
from apps.notifications.kinds import InboxWords
from apps.notifications.models import Notification
from apps.worklist.kinds import kind_close_url, kind_title
from apps.worklist.models import Task


def task_url(task: Task) -> str:
    """The page where the clinician acts on the task (its close page for urgent kinds)."""
    if task.status == Task.Status.DONE:
        return reverse("worklist:task-list")
    close_url = kind_close_url(task.kind)
    if close_url:
        return reverse(close_url, kwargs={"urgent_task_id": task.pk})
    return reverse("worklist:task-resolve", args=[task.pk])


def task_inbox(notifications: list[Notification], viewer: User) -> dict[int, InboxWords]:
    """'Urgent task for Pat Patient: Missed doses: call the patient back' (one query), for
    patients the clinician may still see."""
    ids = {n.context_ids.get("task") for n in notifications} - {None}
    tasks = {
        t.pk: t
        for t in Task.objects.filter(pk__in=ids, patient__in=access.patients_visible_to(viewer))
        .select_related("patient")
        .only("pk", "kind", "status", "priority", "patient__full_name")
    }
    found: dict[int, InboxWords] = {}
    for n in notifications:
        task = tasks.get(n.context_ids.get("task", 0))
        if task is None:
            continue
        urgent = "Urgent task" if task.priority == Task.Priority.URGENT else "New task"
        done = " This task is now closed." if task.status == Task.Status.DONE else ""
        found[n.pk] = InboxWords(
            text=f"{urgent} for {task.patient.full_name}: {kind_title(task.kind)}.{done}",
            url=task_url(task),
        )
    return found
