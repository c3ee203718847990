"""Profiles and time zones, the patient's download, and staff reassigning a patient."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import PatientProfile
from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError


def test_profile_change_is_saved_and_audited(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Pat Patient", "preferred_name": "Pat", "time_zone": "Europe/Dublin"},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.time_zone == "Europe/Dublin"
    event = AuditEvent.objects.filter(action="accounts.profile_updated").get()
    assert event.detail == {"fields": "preferred_name,time_zone"}


def test_unknown_time_zone_is_refused_and_nothing_changes(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Someone Else", "preferred_name": "", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    patient.refresh_from_db()
    assert patient.full_name == "Pat Patient"


@pytest.mark.parametrize(
    ("when_utc", "zone", "shown"),
    [
        # The night the UK clocks go forward (01:00 GMT becomes 02:00 BST).
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "Europe/London", "12:30am"),
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "Europe/London", "2:30am"),
        # The night they go back (02:00 BST becomes 01:00 GMT): 1:30 happens twice.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Europe/London", "1:30am"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "Europe/London", "1:30am"),
        (datetime(2026, 10, 25, 2, 30, tzinfo=UTC), "Europe/London", "2:30am"),
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "America/New_York", "9:30pm"),
    ],
)
def test_times_are_shown_in_the_users_zone_across_clock_changes(
    client, clinician, patient, when_utc, zone, shown
):
    patient.time_zone = zone
    patient.save(update_fields=["time_zone"])
    with time_machine.travel(when_utc, tick=False):
        client.force_login(clinician)
        client.get(reverse("accounts:patient-detail", args=[patient.pk]))
        client.force_login(patient)
        page = client.get(reverse("accounts:disclosure-list")).content.decode()
    assert shown in page
    stored = AuditEvent.objects.filter(action="audit.record_viewed").latest("id").at
    assert stored == when_utc  # stored in UTC


def test_patient_downloads_everything_held_about_them(client, patient, consent):
    client.force_login(patient)
    response = client.get(reverse("accounts:data-export"))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["account"]["email"] == patient.email
    assert data["supervisor_consents"][0]["consent_text"] == consent.consent_text
    assert any(e["action"] == "accounts.consent_confirmed" for e in data["record_access"])
    assert AuditEvent.objects.filter(action="accounts.record_exported", patient=patient).exists()


def test_staff_reassign_needs_recent_reauthentication(client, staff, patient, other_clinician):
    client.force_login(staff)
    response = client.post(
        reverse("accounts:patient-reassign", args=[patient.pk]), {"clinician": other_clinician.pk}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert PatientProfile.objects.get(user=patient).responsible_clinician != other_clinician


def test_staff_reassign_moves_the_patient_and_access_follows(
    client, staff, patient, clinician, other_clinician
):
    services.patient_reassign_clinician(actor=staff, patient=patient, clinician=other_clinician)
    client.force_login(clinician)
    assert client.get(reverse("accounts:patient-detail", args=[patient.pk])).status_code == 404
    client.force_login(other_clinician)
    assert client.get(reverse("accounts:patient-detail", args=[patient.pk])).status_code == 200
    event = AuditEvent.objects.get(action="accounts.clinician_reassigned")
    assert event.detail == {"from_clinician": clinician.pk, "to_clinician": other_clinician.pk}


def test_reassign_refuses_a_non_clinician(staff, patient, supervisor):
    with pytest.raises(ServiceError):
        services.patient_reassign_clinician(actor=staff, patient=patient, clinician=supervisor)


def test_time_zone_choice_is_grouped_by_region_with_the_uk_first(client, patient):
    client.force_login(patient)
    html = client.get(reverse("accounts:profile")).content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)">', html)
    assert groups[0] == "United Kingdom"
    assert {"Europe", "Americas", "Asia", "Africa", "Australia"} <= set(groups)
    first = html.index('<optgroup label="United Kingdom">')
    assert html.index('value="Europe/London"') - first < 200
    assert ">Buenos Aires, Argentina<" in html
    # Every zone can still be saved, older names included (a person may already have one).
    for zone in ("Asia/Tokyo", "UTC"):
        response = client.post(
            reverse("accounts:profile"), {"full_name": "Pat Patient", "time_zone": zone}
        )
        assert response.status_code == 302, zone
