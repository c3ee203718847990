"""Dashboard panel: the clinician's urgent tasks, at the very top."""

from __future__ import annotations

from apps.accounts.models import User
from apps.core.panels import Panel
from apps.worklist import selectors
from apps.worklist.kinds import kind_title
from apps.worklist.models import Task


def urgent_tasks(user: User) -> Panel | None:
    """Open urgent tasks for this clinician's patients (one query)."""
    tasks = list(selectors.task_list_for(user=user).filter(priority=Task.Priority.URGENT)[:20])
    if not tasks:
        return None
    rows = [{"task": t, "title": kind_title(t.kind)} for t in tasks]
    return Panel(template="worklist/_urgent_panel.html", context={"rows": rows}, order=0)
