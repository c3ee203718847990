"""The clinician's worklist: open tasks, urgent first, and closing one deliberately.

Closing is one page for every kind of task: the outcome is chosen on purpose (no value is
preselected) and a note is written; an urgent task then shows a confirmation step before it is
closed. Other parts of the portal (missed-dose alerts) reuse it by raising urgent tasks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.validators import MinLengthValidator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.access import Role, role_required
from apps.audit.services import audit_read_list
from apps.core.exceptions import ServiceError
from apps.core.forms import apply_service_error
from apps.core.types import AuthedRequest
from apps.worklist import selectors, services
from apps.worklist.kinds import kind_close_url, kind_of, kind_title, outcomes_for
from apps.worklist.models import Task


class ResolveForm(forms.Form):
    outcome_code = forms.ChoiceField(
        label="What happened?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        required=False,
        error_messages={"required": "Write what you did and found."},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        # No initial value: the outcome is always chosen on purpose.
        outcome = self.fields["outcome_code"]
        assert isinstance(outcome, forms.ChoiceField)  # noqa: S101  # nosec B101 - narrows the type
        outcome.choices = outcomes_for(task.kind)
        note = self.fields["note"]
        assert isinstance(note, forms.CharField)  # noqa: S101  # nosec B101 - narrows the type
        note.label = kind_of(task.kind).note_label
        if task.priority == Task.Priority.URGENT:
            note.required = True
            note.validators.append(
                MinLengthValidator(
                    services.URGENT_NOTE_MIN,
                    f"Write a note of at least {services.URGENT_NOTE_MIN} characters: what you "
                    "did and found.",
                )
            )
        else:
            note.label = f"{note.label} (optional)"

    def outcome_label(self) -> str:
        return dict(outcomes_for(self.task.kind)).get(self.cleaned_data["outcome_code"], "")


@role_required(Role.CLINICIAN)
@require_GET
def task_list(request: AuthedRequest) -> HttpResponse:
    tasks = list(selectors.task_list_for(user=request.user))
    audit_read_list(actor=request.user, patient_ids=[t.patient_id for t in tasks], what="worklist")
    rows = [
        {"task": t, "title": kind_title(t.kind), "close_url": kind_close_url(t.kind)} for t in tasks
    ]
    return render(request, "worklist/task_list.html", {"rows": rows})


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def task_resolve(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_for(user=request.user, pk=task_id)
    form = ResolveForm(request.POST if request.method == "POST" else None, task=task)
    urgent = task.priority == Task.Priority.URGENT
    context: dict[str, Any] = {"task": task, "kind": kind_of(task.kind), "form": form}
    if task.status == Task.Status.DONE:
        messages.info(request, "This task is already closed.")
        return HttpResponseRedirect(reverse("worklist:task-list"))
    if request.method == "POST" and "edit" in request.POST:
        return render(request, "worklist/task_resolve.html", context)
    if request.method == "POST" and form.is_valid():
        confirmed = form.cleaned_data["confirmed"]
        if urgent and not confirmed:
            # The confirmation step: the same answers, shown back, with a second button.
            context["outcome_label"] = form.outcome_label()
            return render(request, "worklist/task_confirm.html", context)
        try:
            services.task_resolve(
                actor=request.user,
                task=task,
                outcome_code=form.cleaned_data["outcome_code"],
                note=form.cleaned_data["note"],
                confirmed=confirmed,
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Task closed for {task.patient.full_name}.")
            return HttpResponseRedirect(reverse("worklist:task-list"))
    return render(request, "worklist/task_resolve.html", context)
