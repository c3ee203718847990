"""Staff edit the clinic's settings in the admin; the change goes through the service so it is
audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from apps.clinic.models import ClinicSettings
from apps.clinic.services import clinic_settings_update


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(admin.ModelAdmin[ClinicSettings]):
    list_display = ("name", "phone_24h", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ClinicSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

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
