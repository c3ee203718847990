"""Staff edit the clinic's name, numbers and colours in the admin (through the audited service);
the clinical thresholds are shown there read-only."""

from __future__ import annotations

from django.forms.models import model_to_dict
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.clinic.models import THRESHOLD_FIELDS, ClinicSettings
from apps.clinic.services import clinic_settings_update


def test_staff_edit_contact_numbers_in_the_admin_but_not_thresholds(client, staff):
    row = clinic_settings_update(actor=staff)  # creates the row with its defaults
    client.force_login(staff)
    url = reverse("admin:clinic_clinicsettings_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Intake screening thresholds (read-only here)" in page.content.decode()
    data = {
        k: v
        for k, v in model_to_dict(row).items()
        if v is not None and k != "id" and k not in THRESHOLD_FIELDS
    }
    data["phone_24h"] = "0300 999 8888"
    data["liver_test_max_age_days"] = 21  # read-only: ignored
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ClinicSettings.objects.get()
    assert (saved.phone_24h, saved.liver_test_max_age_days) == ("0300 999 8888", 28)
    event = AuditEvent.objects.filter(action="clinic.settings_changed").latest("pk")
    assert event.detail == {"fields": "phone_24h"}
    assert event.actor_id == staff.pk
