"""The clinician's page for one patient's escalation thresholds."""

from __future__ import annotations

from django.urls import reverse

from apps.dosing.escalation_models import EscalationOverride


def test_the_clinician_saves_a_patients_thresholds(client, clinician, patient):
    client.force_login(clinician)
    url = reverse("escalation:override-edit", kwargs={"patient_id": patient.pk})
    assert "Marked missed (clinic)" in client.get(url).content.decode()
    response = client.post(url, {"dose_late_hours": "4", "reason": "Night shifts"})
    assert response.status_code == 302
    assert EscalationOverride.objects.get(patient=patient).dose_late_hours == 4


def test_bad_values_show_next_to_the_field_and_change_nothing(client, clinician, patient):
    client.force_login(clinician)
    url = reverse("escalation:override-edit", kwargs={"patient_id": patient.pk})
    body = client.post(url, {"dose_late_hours": "99", "reason": ""}).content.decode()
    assert "Give a reason" in body
    body = client.post(
        url, {"dose_late_hours": "6", "dose_missed_after_hours": "5", "reason": "x"}
    ).content.decode()
    assert "later than the reminder time" in body
    assert not EscalationOverride.objects.exists()
