"""The clinician's worklist: open tasks, urgent first, and closing one with an outcome."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import Role, role_required
from apps.core.exceptions import ServiceError
from apps.core.types import AuthedRequest
from apps.worklist import selectors, services
from apps.worklist.kinds import OUTCOMES, kind_close_url, kind_title
from apps.worklist.models import Task


class ResolveForm(forms.Form):
    outcome_code = forms.ChoiceField(label="What happened?", choices=OUTCOMES)


def task_rows(tasks: list[Task]) -> list[dict[str, object]]:
    return [
        {
            "task": t,
            "title": kind_title(t.kind),
            "close_url": kind_close_url(t.kind),
            "form": ResolveForm(prefix=f"t{t.pk}"),
        }
        for t in tasks
    ]


@role_required(Role.CLINICIAN)
@require_GET
def task_list(request: AuthedRequest) -> HttpResponse:
    tasks = list(selectors.task_list_for(user=request.user))
    return render(request, "worklist/task_list.html", {"rows": task_rows(tasks)})


@role_required(Role.CLINICIAN)
@require_POST
def task_resolve(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_for(user=request.user, pk=task_id)
    form = ResolveForm(request.POST, prefix=f"t{task.pk}")
    if not form.is_valid():
        messages.error(request, "Choose what happened before closing the task.")
    else:
        try:
            services.task_resolve(
                actor=request.user, task=task, outcome_code=form.cleaned_data["outcome_code"]
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Task closed for {task.patient.full_name}.")
    return HttpResponseRedirect(reverse("worklist:task-list"))
