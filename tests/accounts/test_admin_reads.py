"""Staff opening a patient's rows in the admin is written to the audit log and shows on the
patient's own "who has seen my record" page."""

from __future__ import annotations

from django.urls import reverse

from apps.audit.models import AuditEvent


def test_staff_opening_a_patient_in_the_admin_is_a_recorded_read(client, staff, patient, consent):
    client.force_login(staff)
    for url in (
        reverse("admin:accounts_user_change", args=[patient.pk]),
        reverse("admin:accounts_patientprofile_change", args=[patient.pk]),
        reverse("admin:accounts_supervisorconsent_change", args=[consent.pk]),
    ):
        before = AuditEvent.objects.filter(action="audit.record_viewed").count()
        assert client.get(url).status_code == 200
        event = AuditEvent.objects.filter(action="audit.record_viewed").latest("id")
        assert AuditEvent.objects.filter(action="audit.record_viewed").count() == before + 1
        assert (event.actor, event.patient) == (staff, patient)
        assert event.detail["what"].startswith("admin:")
    client.force_login(patient)
    page = client.get(reverse("accounts:disclosure-list")).content.decode()
    assert "Stella Staff" in page


def test_staff_opening_a_non_patient_is_not_a_patient_read(client, staff, clinician):
    client.force_login(staff)
    before = AuditEvent.objects.filter(action="audit.record_viewed").count()
    assert client.get(reverse("admin:accounts_user_change", args=[clinician.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="audit.record_viewed").count() == before


def test_staff_listing_patients_is_recorded(client, staff, patient):
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_patientprofile_changelist")).status_code == 200
    event = AuditEvent.objects.filter(action="audit.admin_list_viewed").latest("id")
    assert event.actor == staff
    assert event.detail == {"model": "accounts.patientprofile"}


def test_staff_can_open_every_admin_list(client, staff):
    from django.contrib import admin

    client.force_login(staff)
    ours = [m for m in admin.site._registry if m.__module__.startswith("apps.")]
    assert len(ours) >= 10
    for model in ours:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
