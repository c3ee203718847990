"""Pages for escalation: a supervisor raises a concern; a clinician closes an urgent dosing task
on purpose (outcome, note, the call, then a confirmation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts import selectors as account_selectors
from apps.accounts.access import Role, role_required
from apps.audit.services import audit_read, audit_read_list
from apps.core.exceptions import ServiceError
from apps.core.types import AuthedRequest
from apps.dosing import concerns, mood
from apps.dosing.caseload import caseload_page
from apps.dosing.escalation_models import Worry
from apps.intake import instruments
from apps.worklist.kinds import OUTCOMES, kind_title


class ConcernForm(forms.Form):
    what_seen = forms.CharField(
        label="What did you see or hear?",
        help_text="In your own words. For example: they seemed drowsy, or said they had used.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=concerns.MAX_CONCERN_CHARS,
        error_messages={"required": "Say what you saw or heard."},
    )
    worry = forms.ChoiceField(
        label="How worried are you?",
        choices=Worry.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how worried you are."},
    )
    opioid_use_suspected = forms.BooleanField(
        label="I think they may have used opioids", required=False
    )


def _apply(form: forms.Form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def concern_create(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = account_selectors.patient_get_for(user=request.user, pk=patient_id)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concerns.concern_raise(actor=request.user, patient=patient, **form.cleaned_data)
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "Thank you. The clinic has received your concern.")
            return HttpResponseRedirect(
                reverse("escalation:concern-create", kwargs={"patient_id": patient.pk})
            )
    raised = [
        concerns.when_words(c.created_at, request.user.time_zone)
        for c in concerns.concern_list_for(user=request.user, patient_id=patient.pk)
    ]
    return render(
        request,
        "dosing/concern_create.html",
        {"patient": patient, "form": form, "raised": raised},
    )


class CloseForm(forms.Form):
    outcome_code = forms.ChoiceField(
        label="What happened?",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened."},
    )
    called_whom = forms.CharField(
        label="Who did you call (or try to call)?",
        help_text="For example: the patient, or their supervisor.",
        max_length=120,
        error_messages={"required": "Say who you called."},
    )
    called_at = forms.DateTimeField(
        label="When did you call?",
        help_text="Day and time, in your own time zone.",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Give the day and time of the call.",
            "invalid": "Give the day and time of the call, for example 2026-11-26 09:30.",
        },
    )
    note = forms.CharField(
        label="Note",
        help_text="What was agreed, for example an early appointment.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Write a short note of what was agreed."},
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def task_close(request: AuthedRequest, urgent_task_id: int) -> HttpResponse:
    task = concerns.task_get_for_close(user=request.user, pk=urgent_task_id)
    concern = concerns.concern_for_task(task)
    if concern is not None:
        audit_read(actor=request.user, patient_id=task.patient_id, what="concern")
    form = CloseForm(request.POST or None)
    confirming = False
    if task.status != task.Status.OPEN:
        messages.info(request, "This task is already closed.")
        return HttpResponseRedirect(reverse("worklist:task-list"))
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") != "yes":
            confirming = True  # show the summary and ask for the confirmation
        else:
            try:
                concerns.urgent_task_close(
                    actor=request.user, task=task, confirmed=True, **form.cleaned_data
                )
            except ServiceError as exc:
                _apply(form, exc)
            else:
                messages.success(request, f"Task closed for {task.patient.full_name}.")
                return HttpResponseRedirect(reverse("worklist:task-list"))
    outcome_words = dict(OUTCOMES).get(form.data.get("outcome_code", ""), "")
    return render(
        request,
        "dosing/task_close.html",
        {
            "task": task,
            "title": kind_title(task.kind),
            "concern": concern,
            "concern_raised": (
                concerns.when_words(concern.created_at, request.user.time_zone) if concern else ""
            ),
            "form": form,
            "confirming": confirming,
            "outcome_words": outcome_words,
            "called_words": (
                concerns.when_words(form.cleaned_data["called_at"], request.user.time_zone)
                if confirming
                else ""
            ),
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )


@role_required(Role.CLINICIAN)
@require_GET
def caseload(request: AuthedRequest) -> HttpResponse:
    context = caseload_page(user=request.user, params=request.GET)
    audit_read_list(
        actor=request.user,
        patient_ids=[r.patient_id for r in context["rows"]],
        what="treatment_caseload",
    )
    # htmx (sorting, filtering, searching, paging in place) gets the table alone.
    template = "dosing/_caseload_table.html" if request.htmx else "dosing/caseload.html"
    return render(request, template, context)


class MoodForm(forms.Form):
    """PHQ-9 then GAD-7, from the intake instruments (no answer preselected)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for instrument in (instruments.PHQ_9, instruments.GAD_7):
            for item in instrument.items:
                self.fields[item.key] = forms.TypedChoiceField(
                    label=item.text,
                    choices=[(v, label) for v, label in item.options],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Answer this question to continue."},
                )

    def split(self) -> tuple[dict[str, int], dict[str, int]]:
        data = self.cleaned_data
        phq = {i.key: data[i.key] for i in instruments.PHQ_9.items}
        gad = {i.key: data[i.key] for i in instruments.GAD_7.items}
        return phq, gad


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def mood_check(request: AuthedRequest) -> HttpResponse:
    due = mood.mood_due_for(patient=request.user)
    form = MoodForm(request.POST or None)
    if due is not None and request.method == "POST" and form.is_valid():
        phq, gad = form.split()
        try:
            check = mood.mood_check_submit(actor=request.user, phq9=phq, gad7=gad)
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "Thank you. Your answers have been sent to your clinician.")
            flagged = instruments.phq9_self_harm_flag(check.answers["phq_9"])
            if flagged:
                return HttpResponseRedirect(reverse("intake:help-now"))
            return HttpResponseRedirect(reverse("core:patient-dashboard"))
    return render(
        request,
        "dosing/mood_check.html",
        {
            "form": form,
            "due": due is not None,
            "notices": [instruments.PHQ_9.licence, instruments.GAD_7.licence],
        },
    )
