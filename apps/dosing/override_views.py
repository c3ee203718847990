"""The clinician sets one patient's escalation thresholds (empty fields use the clinic's)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.accounts import selectors as account_selectors
from apps.accounts.access import Role, role_required
from apps.clinic.selectors import clinic_settings_get
from apps.core.exceptions import ServiceError
from apps.core.types import AuthedRequest
from apps.dosing import escalation
from apps.dosing.escalation_models import EscalationOverride

NUMBER = "Enter a whole number, or leave it empty to use the clinic's."


class OverrideForm(forms.Form):
    dose_late_hours = forms.IntegerField(
        label="Reminder: hours after the due time with no record",
        required=False,
        min_value=1,
        max_value=12,
        error_messages={"invalid": NUMBER},
    )
    dose_missed_after_hours = forms.IntegerField(
        label="Marked missed: hours after the due time with no record",
        required=False,
        min_value=3,
        max_value=23,
        error_messages={"invalid": NUMBER},
    )
    reinduction_gap_days = forms.IntegerField(
        label="Re-induction check: days without a dose",
        required=False,
        min_value=1,
        max_value=14,
        error_messages={"invalid": NUMBER},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="For example: works night shifts, doses at 6:00am.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason for changing this patient's thresholds."},
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def override_edit(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = account_selectors.patient_get_for(user=request.user, pk=patient_id)
    current = EscalationOverride.objects.filter(patient=patient).first()
    initial = (
        {
            "dose_late_hours": current.dose_late_hours,
            "dose_missed_after_hours": current.dose_missed_after_hours,
            "reinduction_gap_days": current.reinduction_gap_days,
        }
        if current
        else {}
    )
    form = OverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            escalation.escalation_override_set(
                actor=request.user, patient=patient, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Thresholds saved for {patient.full_name}.")
            return HttpResponseRedirect(reverse("escalation:caseload"))
    clinic = clinic_settings_get()
    return render(
        request,
        "dosing/override_edit.html",
        {
            "patient": patient,
            "form": form,
            "clinic_values": [
                ("Reminder", f"{clinic.dose_late_hours} hours"),
                ("Marked missed", f"{clinic.dose_missed_after_hours} hours"),
                ("Re-induction check", f"more than {clinic.reinduction_gap_days} days"),
            ],
        },
    )
