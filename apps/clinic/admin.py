"""Staff edit the clinic's settings in the admin; the change goes through the service so it is
audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from apps.accounts.roles import Role
from apps.clinic.models import ClinicSettings
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
            "Intake screening thresholds",
            {
                "description": "The rules of the eligibility gates. Every change is audited.",
                "fields": (
                    "min_age_years",
                    ("short_acting_free_days", "short_acting_warn_days"),
                    ("long_acting_free_days", "long_acting_warn_days"),
                    "urine_screen_max_age_days",
                    "naloxone_challenge_policy",
                    "liver_test_max_age_days",
                    ("liver_specialist_multiple", "liver_block_multiple"),
                    "surgery_pause_hours",
                    "audit_c_positive_score",
                    "phq9_item9_flag_above",
                ),
            },
        ),
        (
            "Missed-dose escalation and monitoring",
            {
                "description": "DOMAIN.md sections 4 and 7. Every change is audited.",
                "fields": (
                    "dose_missed_after_hours",
                    "tier3_consecutive_missed",
                    ("tier3_missed_in_window", "tier3_window_days"),
                    "reinduction_gap_days",
                    (
                        "liver_test_first_months",
                        "liver_test_second_months",
                        "liver_test_every_months",
                    ),
                    "liver_rise_multiple",
                    "mood_monthly_months",
                    "urine_screen_interval_days",
                ),
            },
        ),
    )

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
