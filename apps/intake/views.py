"""Intake pages: the patient's questionnaire (task list, one page per step, help now) and the
clinician's queue, review page, records, decisions and overrides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.decorators import reauthentication_required
from django import forms as djforms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import Role, role_required
from apps.accounts.models import User
from apps.audit.services import audit_read, audit_read_list
from apps.clinic.selectors import clinic_settings_get
from apps.core.exceptions import ServiceError
from apps.core.forms import apply_service_error
from apps.core.types import AuthedRequest
from apps.intake import eligibility as engine
from apps.intake import forms, instruments, presenters, questionnaire, selectors, services
from apps.intake.models import PathwayState

EDITABLE = (PathwayState.INVITED, PathwayState.INTAKE)


# --- Patient: the questionnaire ------------------------------------------------------------------


@role_required(Role.PATIENT)
@require_GET
def task_list(request: AuthedRequest) -> HttpResponse:
    clinic = clinic_settings_get()
    answers = selectors.answers_of(request.user)
    state = selectors.pathway_state_of(request.user)
    statuses = questionnaire.statuses(answers, audit_c_cut_off=clinic.audit_c_positive_score)
    steps = [
        {
            "step": s,
            "status": statuses[s.key],
            "label": questionnaire.STATUS_LABELS[statuses[s.key]],
            "can_open": state in EDITABLE
            and statuses[s.key] in (questionnaire.NOT_STARTED, questionnaire.COMPLETED),
        }
        for s in questionnaire.STEPS
    ]
    return render(
        request,
        "intake/task_list.html",
        {
            "steps": steps,
            "state": state,
            "editable": state in EDITABLE,
            "complete": questionnaire.is_complete(
                answers, audit_c_cut_off=clinic.audit_c_positive_score
            ),
            "progress": questionnaire.progress(
                answers, audit_c_cut_off=clinic.audit_c_positive_score
            ),
        },
    )


def _next_step_url(answers: dict[str, Any], after: str, cut_off: int) -> str:
    keys = questionnaire.STEP_KEYS
    for key in keys[keys.index(after) + 1 :]:
        if questionnaire.step_status(key, answers, audit_c_cut_off=cut_off) == (
            questionnaire.NOT_STARTED
        ):
            return reverse("intake:step", args=[key])
    return reverse("intake:task-list")


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def step(request: AuthedRequest, step: str) -> HttpResponse:
    definition = questionnaire.BY_KEY.get(step)
    if definition is None:
        raise Http404
    if selectors.pathway_state_of(request.user) not in EDITABLE:
        messages.info(request, "Your answers have been sent to the clinic.")
        return HttpResponseRedirect(reverse("intake:task-list"))
    clinic = clinic_settings_get()
    answers = selectors.answers_of(request.user)
    form = definition.form(
        request.POST or None, initial=answers.get(step, {}), min_age=clinic.min_age_years
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.questionnaire_step_save(
                actor=request.user, step=step, answers=form.answers()
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            if saved.self_harm_flag:
                return HttpResponseRedirect(reverse("intake:help-now"))
            messages.success(request, f"Saved: {definition.title}.")
            return HttpResponseRedirect(
                _next_step_url(saved.response.answers, step, clinic.audit_c_positive_score)
            )
    return render(
        request,
        "intake/step_form.html",
        {"definition": definition, "form": form, "instrument": definition.instrument},
    )


@role_required(Role.PATIENT)
@require_POST
def submit(request: AuthedRequest) -> HttpResponse:
    try:
        services.questionnaire_submit(actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you. Your answers have been sent to your clinician.")
    return HttpResponseRedirect(reverse("intake:task-list"))


@role_required(Role.PATIENT)
@require_GET
def help_now(request: AuthedRequest) -> HttpResponse:
    clinic = clinic_settings_get()
    return render(
        request,
        "intake/help_now.html",
        {"crisis_lines": [line for line in clinic.crisis_text.splitlines() if line.strip()]},
    )


# --- Clinician: queue and review -----------------------------------------------------------------


@role_required(Role.CLINICIAN)
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    patients = list(selectors.intake_queue_for(user=request.user))
    in_progress = list(selectors.intake_in_progress_for(user=request.user))
    audit_read_list(
        actor=request.user,
        patient_ids=[p.pk for p in patients] + [p.pk for p in in_progress],
        what="intake_queue",
    )
    return render(request, "intake/queue.html", {"patients": patients, "in_progress": in_progress})


@role_required(Role.CLINICIAN)
@require_GET
def review(request: AuthedRequest, patient_id: int) -> HttpResponse:
    data = selectors.review_get_for(user=request.user, patient_id=patient_id)
    audit_read(actor=request.user, patient_id=data.patient.pk, what="intake")
    return render(request, "intake/review.html", presenters.review_context(data))


@dataclass(frozen=True)
class RecordKind:
    title: str
    form: type[djforms.BaseForm]
    save: Callable[[User, User, Any], object]
    intro: str = ""


def _save_uds(actor: User, patient: User, form: Any) -> object:
    return services.urine_screen_record(
        actor=actor, patient=patient, screen=form.save(commit=False)
    )


def _save_naloxone(actor: User, patient: User, form: Any) -> object:
    return services.naloxone_challenge_record(
        actor=actor,
        patient=patient,
        challenge=form.save(commit=False),
        cows_answers=form.cows_answers(),
    )


def _save_lft(actor: User, patient: User, form: Any) -> object:
    return services.liver_test_record(actor=actor, patient=patient, test=form.save(commit=False))


def _save_procedure(actor: User, patient: User, form: Any) -> object:
    return services.procedure_record(actor=actor, patient=patient, **form.cleaned_data)


def _save_washout(actor: User, patient: User, form: Any) -> object:
    return services.washout_plan_record(actor=actor, patient=patient, plan=form.save(commit=False))


def _save_pregnancy(actor: User, patient: User, form: Any) -> object:
    return services.pregnancy_advice_record(actor=actor, patient=patient, **form.cleaned_data)


def _save_support(actor: User, patient: User, form: Any) -> object:
    services.support_record(actor=actor, patient=patient, **form.cleaned_data)
    return None


RECORDS: dict[str, RecordKind] = {
    "urine-screen": RecordKind("Urine drug screen", forms.UrineScreenForm, _save_uds),
    "naloxone": RecordKind(
        "Naloxone challenge",
        forms.NaloxoneForm,
        _save_naloxone,
        intro="COWS (optional): " + instruments.COWS.intro,
    ),
    "liver-test": RecordKind("Liver blood test (LFT)", forms.LiverTestForm, _save_lft),
    "procedure": RecordKind("Planned procedure", forms.ProcedureForm, _save_procedure),
    "washout-plan": RecordKind(
        "Specialist washout plan (depot buprenorphine)", forms.WashoutPlanForm, _save_washout
    ),
    "pregnancy-advice": RecordKind(
        "Specialist pregnancy advice given", forms.PregnancyAdviceForm, _save_pregnancy
    ),
    "support": RecordKind("Supervision and counselling", forms.SupportRecordForm, _save_support),
}


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def record(request: AuthedRequest, patient_id: int, record: str) -> HttpResponse:
    kind = RECORDS.get(record)
    if kind is None:
        raise Http404
    patient = selectors.review_patient_get_for(user=request.user, patient_id=patient_id)
    if request.method == "GET":
        audit_read(actor=request.user, patient_id=patient.pk, what=f"intake_{record}")
    initial = selectors.support_of(patient) if record == "support" else {}
    form = kind.form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            kind.save(request.user, patient, form)
        except ServiceError as exc:
            apply_service_error(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, f"{kind.title} recorded for {patient.full_name}.")
            return HttpResponseRedirect(reverse("intake:review", args=[patient.pk]))
    return render(
        request, "intake/record_form.html", {"patient": patient, "kind": kind, "form": form}
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def decide(request: AuthedRequest, patient_id: int) -> HttpResponse:
    data = selectors.review_get_for(user=request.user, patient_id=patient_id)
    action = request.POST.get("action") if request.method == "POST" else None
    context = presenters.review_context(data)
    eligible_form = forms.EligibleForm(
        request.POST if action == "eligible" else None, off_label=context["off_label"]
    )
    refuse_form = forms.NotEligibleForm(request.POST if action == "not_eligible" else None)
    if request.method == "GET":
        audit_read(actor=request.user, patient_id=data.patient.pk, what="intake")
    try:
        if action == "eligible" and eligible_form.is_valid():
            services.decision_eligible(
                actor=request.user,
                patient=data.patient,
                confirm_off_label=eligible_form.cleaned_data.get("confirm_off_label", False),
            )
            messages.success(request, f"{data.patient.full_name} is eligible to start.")
            return HttpResponseRedirect(reverse("intake:review", args=[data.patient.pk]))
        if action == "not_eligible" and refuse_form.is_valid():
            services.decision_not_eligible(
                actor=request.user,
                patient=data.patient,
                reason_for_patient=refuse_form.cleaned_data["reason_for_patient"],
            )
            messages.success(request, "Decision recorded. The patient can read your reason.")
            return HttpResponseRedirect(reverse("intake:review", args=[data.patient.pk]))
    except ServiceError as exc:
        apply_service_error(eligible_form if action == "eligible" else refuse_form, exc)
    context.update({"eligible_form": eligible_form, "refuse_form": refuse_form})
    return render(request, "intake/decide.html", context)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def override(request: AuthedRequest, patient_id: int, gate: str) -> HttpResponse:
    # Not someone else's patient (404) before asking for the password again.
    patient = selectors.review_patient_get_for(user=request.user, patient_id=patient_id)
    response: HttpResponse = _override(request, patient, gate)
    return response


@reauthentication_required
def _override(request: HttpRequest, patient: User, gate: str) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    current = {
        g.code: g for g in engine.evaluate(selectors.engine_inputs_for(patient=patient))
    }.get(gate)
    if current is None:
        raise Http404
    form = forms.OverrideForm(request.POST or None)
    if request.method == "GET":
        audit_read(actor=actor, patient_id=patient.pk, what="intake")
    if request.method == "POST" and form.is_valid():
        try:
            services.gate_override(
                actor=actor, patient=patient, gate=gate, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Override recorded: {current.title}.")
            return HttpResponseRedirect(reverse("intake:review", args=[patient.pk]))
    return render(
        request, "intake/override_form.html", {"patient": patient, "gate": current, "form": form}
    )
