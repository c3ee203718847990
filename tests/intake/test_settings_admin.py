"""Staff edit the intake thresholds in the admin; the change goes through the audited service."""

from __future__ import annotations

from django.forms.models import model_to_dict
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.clinic.models import ClinicSettings
from apps.clinic.services import clinic_settings_update


def test_staff_edit_thresholds_in_the_admin_and_the_change_is_audited(client, staff):
    row = clinic_settings_update(actor=staff)  # creates the row with its defaults
    client.force_login(staff)
    url = reverse("admin:clinic_clinicsettings_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Intake screening thresholds" in page.content.decode()
    data = {k: v for k, v in model_to_dict(row).items() if v is not None and k != "id"}
    data["liver_test_max_age_days"] = 21
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ClinicSettings.objects.get().liver_test_max_age_days == 21
    event = AuditEvent.objects.filter(action="clinic.settings_changed").latest("pk")
    assert event.detail == {"fields": "liver_test_max_age_days"}
    assert event.actor_id == staff.pk
