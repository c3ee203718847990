"""The clinical lead's page for the clinic's clinical thresholds (DOMAIN.md section 2)."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.accounts import access
from apps.accounts.access import Role, role_required
from apps.clinic import selectors, services
from apps.clinic.forms import ThresholdsForm
from apps.core.exceptions import ServiceError
from apps.core.forms import apply_service_error
from apps.core.types import AuthedRequest


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def thresholds(request: AuthedRequest) -> HttpResponse:
    # Not a clinical lead: 403 before asking for the password again.
    access.ensure(access.can_change_thresholds(request.user))
    response: HttpResponse = _thresholds(request)
    return response


@reauthentication_required
def _thresholds(request: AuthedRequest) -> HttpResponse:
    """Changing clinic-wide clinical rules is a sensitive action: the password is asked again."""
    row = selectors.clinic_settings_get()
    form = ThresholdsForm(request.POST if request.method == "POST" else None, instance=row)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            # A fresh row: the form's instance already holds the new values.
            services.clinic_thresholds_update(
                actor=request.user, reason=form.cleaned_data["reason"], **changes
            )
        except ServiceError as exc:
            apply_service_error(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, "Thresholds saved." if changes else "Nothing changed.")
            return HttpResponseRedirect(reverse("clinic:thresholds"))
    return render(
        request,
        "clinic/thresholds_form.html",
        {"form": form, "history": selectors.threshold_changes_recent()},
    )
