"""Dosing pages: the patient's doses and naloxone kit; a supervisor's page for each person they
support; recording a dose (one tap, then confirm); the clinician's plan pages and timeline."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.access import Role, role_required
from apps.accounts.models import User
from apps.audit.services import audit_read
from apps.clinic.selectors import clinic_settings_get
from apps.core.exceptions import ServiceError
from apps.core.forms import apply_service_error
from apps.core.timefmt import when
from apps.core.types import AuthedRequest
from apps.dosing import forms, presenters, selectors, services
from apps.dosing.models import OPEN_PLAN_STATUSES, Change, TreatmentPlan
from apps.dosing.schedule import time_words

# --- Patient ------------------------------------------------------------------------------------


@role_required(Role.PATIENT)
@require_GET
def my_doses(request: AuthedRequest) -> HttpResponse:
    context = presenters.patient_page(patient=request.user, month=request.GET.get("month", ""))
    return render(request, "dosing/my_doses.html", context)


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def naloxone_kit(request: AuthedRequest) -> HttpResponse:
    form = forms.NaloxoneKitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.naloxone_kit_record(
                actor=request.user,
                patient=request.user,
                expires_on=form.cleaned_data["expires_on"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Your naloxone kit is recorded. Thank you.")
            return HttpResponseRedirect(reverse("dosing:my-doses"))
    kit = selectors.naloxone_kit_current(patient_id=request.user.pk)
    return render(request, "dosing/naloxone_kit.html", {"form": form, "kit": kit})


# --- Supervisor ---------------------------------------------------------------------------------


def supervised_patient_page(request: AuthedRequest, patient: User) -> HttpResponse:
    """The page at accounts:supervised-patient-detail (accounts.views.SUPERVISED_PATIENT_PAGE):
    that view has already checked the consent (404 otherwise) and audited the read."""
    context = presenters.supervisor_page(user=request.user, patient=patient)
    return render(request, "dosing/supervised_patient.html", context)


# --- Recording a dose (patient, supervisor, clinician) -----------------------------------------


def _back(user: User, dose: Any, *, from_dashboard: bool = False) -> str:
    if from_dashboard:
        return reverse("core:dashboard")
    if user.role == Role.PATIENT:
        return reverse("dosing:my-doses")
    if user.role == Role.SUPERVISOR:
        return reverse("accounts:supervised-patient-detail", args=[dose.patient_id])
    return reverse("dosing:plan-detail", args=[dose.plan_id])


def _recorded_words(user: User, dose: Any, now: dt.datetime) -> str:
    """The banner after a new record: "Dose recorded for Sam, 9:04am" (the reader's zone)."""
    at = time_words(now.astimezone(zoneinfo.ZoneInfo(user.time_zone)).time())
    if user.pk == dose.patient_id:
        return f"Your dose is recorded, {at}. Thank you."
    return f"Dose recorded for {dose.patient.display_name}, {at}"


def _taken_at(dose: Any, at: dt.time | None) -> dt.datetime | None:
    if at is None:
        return None
    local_day = dose.local_date
    return dt.datetime.combine(local_day, at, tzinfo=zoneinfo.ZoneInfo(dose.patient.time_zone))


@role_required(Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def dose_record(request: AuthedRequest, dose_id: int) -> HttpResponse:
    user = request.user
    dose = selectors.dose_get_for_recording(user=user, pk=dose_id)
    # Only one place to go back to besides the usual page: no open redirect.
    from_dashboard = request.GET.get("from") == "dashboard"
    back = _back(user, dose, from_dashboard=from_dashboard)
    clinic = clinic_settings_get()
    now = timezone.now()
    late = now > dose.due_at + dt.timedelta(hours=clinic.dose_late_hours)
    allowed = presenters.ROLE_OUTCOMES.get(user.role, ())
    data = request.POST if request.method == "POST" else None
    initial = {"outcome": request.GET.get("outcome", "")}
    form = forms.DoseRecordForm(
        data, initial=initial, allowed=allowed, late=late, auto_id=f"id_{dose.pk}_%s"
    )
    existing = selectors.current_outcome(dose)
    if existing is not None:
        messages.info(
            request,
            f"This dose was already recorded by {existing.recorded_by.display_name}: "
            f"{existing.get_outcome_display()}.",
        )
        return HttpResponseRedirect(back)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.dose_outcome_record(
                actor=user,
                dose=dose,
                outcome=form.cleaned_data["outcome"],
                late_reason=form.cleaned_data.get("late_reason", ""),
                note=form.cleaned_data["note"],
                taken_at=_taken_at(dose, form.cleaned_data["taken_time"]),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            if result.created:
                messages.success(request, _recorded_words(user, dose, timezone.now()))
            else:
                messages.info(request, result.message)
            return HttpResponseRedirect(back)
    outcome = form.data.get("outcome") if form.is_bound else initial["outcome"]
    if user.role != Role.PATIENT:
        audit_read(actor=user, patient_id=dose.patient_id, what="dose_schedule")
    # On a dashboard, htmx asks for the confirm step alone and puts it in place of the buttons.
    template = "dosing/_dose_record_form.html" if request.htmx else "dosing/dose_record.html"
    return render(
        request,
        template,
        {
            "form": form,
            "dose": presenters.dose_row(
                dose, zone=dose.patient.time_zone, now=now, clinic=clinic, role=user.role
            ),
            "patient": dose.patient,
            "outcome_words": forms.OUTCOME_WORDS.get(str(outcome), ""),
            "outcome_known": outcome in allowed,
            "choices": [(o, forms.OUTCOME_WORDS[o]) for o in allowed],
            "late": late,
            "back": back,
            "action": request.get_full_path(),
            "layout": f"layouts/{user.role}.html",
        },
    )


# --- Clinician ----------------------------------------------------------------------------------


def _default_plan_initial(patient: User) -> dict[str, Any]:
    start = selectors.patient_today(patient) + dt.timedelta(days=1)
    return {
        "effective_from": start,
        "supervision_time": dt.time(9),
        "schedule": "daily",
        "planned_review": services.add_months(start, 3),
        "planned_end": services.add_months(start, 12),
    }


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedRequest, patient_id: int) -> HttpResponse:
    # Not someone else's patient (404) before asking for the password again.
    patient = selectors.patient_get_for(user=request.user, patient_id=patient_id)
    response: HttpResponse = _plan_create(request, patient)
    return response


@reauthentication_required
def _plan_create(request: HttpRequest, patient: User) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    supervisors = selectors.supervisors_in_force(patient_id=patient.pk)
    form = forms.PlanCreateForm(
        request.POST or None, initial=_default_plan_initial(patient), supervisors=supervisors
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=actor,
                patient=patient,
                data=services.PlanIn(
                    goal=d["goal"],
                    treatment_start=d["effective_from"],
                    planned_review=d["planned_review"],
                    planned_end=d["planned_end"],
                    schedule=_schedule_in(d),
                ),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Treatment plan saved. Doses are scheduled.")
            return HttpResponseRedirect(reverse("dosing:plan-detail", args=[plan.pk]))
    audit_read(actor=actor, patient_id=patient.pk, what="treatment_plan")
    return render(request, "dosing/plan_create.html", {"form": form, "patient": patient})


def _schedule_in(d: dict[str, Any]) -> services.ScheduleIn:
    return services.ScheduleIn(
        schedule=d["schedule"],
        supervision_time=d["supervision_time"],
        effective_from=d["effective_from"],
        supervisor_ids=tuple(d["supervisor_ids"]),
        clinic_supervision=d["clinic_supervision"],
    )


@role_required(Role.CLINICIAN)
@require_GET
def plan_detail(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for(user=request.user, pk=plan_id)
    audit_read(actor=request.user, patient_id=plan.patient_id, what="treatment_plan")
    context = presenters.plan_page(plan=plan)
    context["changes"] = CHANGES if plan.status in OPEN_PLAN_STATUSES else {}
    return render(request, "dosing/plan_detail.html", context)


# The changes a clinician can make from the plan page: slug -> (title, change code).
CHANGES: dict[str, tuple[str, str]] = {
    "schedule": ("New schedule", Change.SCHEDULE),
    "pause": ("Pause (for example for surgery)", Change.PAUSE),
    "restart": ("Restart at 25 mg", Change.RESTART),
    "stop": ("Stop treatment", Change.STOP),
    "discharge": ("Discharge", Change.DISCHARGE),
}


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def plan_change(request: AuthedRequest, plan_id: int, change: str) -> HttpResponse:
    plan = selectors.plan_get_for(user=request.user, pk=plan_id)
    if change not in CHANGES:
        raise Http404
    response: HttpResponse = _plan_change(request, plan, change)
    return response


@reauthentication_required
def _plan_change(request: HttpRequest, plan: TreatmentPlan, change: str) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    title, _code = CHANGES[change]
    data = request.POST or None
    form: Any
    if change in ("schedule", "restart"):
        version = selectors.version_current(plan)
        form = forms.ScheduleChangeForm(
            data,
            supervisors=selectors.supervisors_in_force(patient_id=plan.patient_id),
            initial={
                "schedule": version.schedule,
                "supervision_time": version.supervision_time,
                "effective_from": selectors.patient_today(plan.patient),
                "supervisor_ids": [u.pk for u in version.supervisors.all()],
                "clinic_supervision": version.clinic_supervision,
            },
        )
    elif change == "pause":
        form = forms.PauseForm(data)
    else:
        form = forms.ReasonForm(data)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if change == "schedule":
                services.plan_schedule_change(
                    actor=actor, plan=plan, data=_schedule_in(d), reason=d["reason"]
                )
            elif change == "restart":
                services.plan_restart(
                    actor=actor, plan=plan, data=_schedule_in(d), reason=d["reason"]
                )
            elif change == "pause":
                services.plan_pause(
                    actor=actor, plan=plan, effective_from=d["effective_from"], reason=d["reason"]
                )
            elif change == "stop":
                services.plan_stop(actor=actor, plan=plan, reason=d["reason"])
            else:
                services.plan_discharge(actor=actor, plan=plan, reason=d["reason"])
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"{title}: saved as a new version of the plan.")
            return HttpResponseRedirect(reverse("dosing:plan-detail", args=[plan.pk]))
    return render(
        request,
        "dosing/plan_change.html",
        {"form": form, "plan": plan, "patient": plan.patient, "title": title, "change": change},
    )


@role_required(Role.CLINICIAN)
@require_GET
def timeline(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient, entries = selectors.timeline_for(user=request.user, patient_id=patient_id)
    audit_read(actor=request.user, patient_id=patient.pk, what="treatment_timeline")
    zone = request.user.time_zone
    rows = [
        {"entry": e, "when": when(e.at.astimezone(zoneinfo.ZoneInfo(zone)), "j F Y")}
        for e in entries
    ]
    plan = selectors.plan_latest_for(patient_id=patient.pk)
    return render(request, "dosing/timeline.html", {"patient": patient, "rows": rows, "plan": plan})


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def outcome_correct(request: AuthedRequest, outcome_id: int) -> HttpResponse:
    previous = selectors.outcome_get_for(user=request.user, pk=outcome_id)
    form = forms.CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.dose_outcome_correct(
                actor=request.user,
                previous=previous,
                outcome=d["outcome"],
                reason=d["reason"],
                taken_at=_taken_at(previous.dose, d["taken_time"]),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Correction saved. The earlier record stays in the history.")
            return HttpResponseRedirect(reverse("dosing:plan-detail", args=[previous.dose.plan_id]))
    audit_read(actor=request.user, patient_id=previous.dose.patient_id, what="dose_record")
    clinic = clinic_settings_get()
    row = presenters.dose_row(
        previous.dose, zone=previous.dose.patient.time_zone, now=timezone.now(), clinic=clinic
    )
    return render(
        request,
        "dosing/outcome_correct.html",
        {"form": form, "previous": previous, "dose": row, "patient": previous.dose.patient},
    )
