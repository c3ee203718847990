"""Staff edit the clinic's name, contact numbers and colours in the admin (through the service,
so it is audited). The clinical thresholds are shown read-only: clinical leads change them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from apps.accounts.roles import Role
from apps.clinic.models import THRESHOLD_FIELDS, ClinicSettings
from apps.clinic.services import clinic_settings_update


def _is_staff_role(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) == Role.STAFF


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(admin.ModelAdmin[ClinicSettings]):
    list_display = ("name", "phone_24h", "updated_at")
    fieldsets = (
        (
            "The clinic",
            {
                "fields": (
                    "name",
                    "short_name",
                    "phone_24h",
                    "address",
                    "crisis_text",
                    "brand_colour",
                    "accent_colour",
                )
            },
        ),
        (
            "Intake screening thresholds (read-only here)",
            {
                "description": "The rules of the eligibility gates. A clinician with the "
                "clinical-lead flag changes them in the portal (Clinical thresholds), with a "
                "reason; every change is audited.",
                "fields": THRESHOLD_FIELDS,
            },
        ),
    )
    readonly_fields = THRESHOLD_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ClinicSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # Every clinic-staff account may keep the clinic's settings (DOMAIN.md: "editable by staff"),
    # without a per-model permission being granted first.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff_role(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_role(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_role(request) or super().has_change_permission(request, obj)

    def save_model(
        self,
        request: HttpRequest,
        obj: ClinicSettings,
        form: ModelForm[ClinicSettings],
        change: bool,
    ) -> None:
        clinic_settings_update(
            actor=request.user,  # type: ignore[arg-type]
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
