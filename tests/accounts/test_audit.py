"""The audit log: every write and every read of a patient's record by someone else, with no
clinical text and no secrets; append-only; patients see who looked."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from apps.audit.models import AuditEvent
from tests.conftest import PASSWORD


def test_a_clinician_read_writes_exactly_one_audit_row(client, clinician, patient):
    client.force_login(clinician)
    before = AuditEvent.objects.count()
    client.get(reverse("accounts:patient-detail", args=[patient.pk]), REMOTE_ADDR="203.0.113.9")
    rows = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before]
    assert len(rows) == 1
    row = rows[0]
    assert row.action == "audit.record_viewed"
    assert row.actor == clinician
    assert row.patient == patient
    assert row.ip == "203.0.113.9"


def test_a_supervisor_viewing_the_schedule_is_audited(client, supervisor, patient, consent):
    client.force_login(supervisor)
    before = AuditEvent.objects.count()
    client.get(reverse("accounts:supervised-patient-detail", args=[patient.pk]))
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("id").detail == {"what": "dose_schedule"}


def test_the_patient_reading_their_own_record_is_not_a_disclosure(client, patient, consent):
    client.force_login(patient)
    before = AuditEvent.objects.count()
    client.get(reverse("accounts:consent-detail", args=[consent.pk]))
    assert AuditEvent.objects.count() == before


def test_patient_sees_who_viewed_their_record(client, clinician, patient, supervisor, consent):
    client.force_login(clinician)
    client.get(reverse("accounts:patient-detail", args=[patient.pk]))
    client.force_login(patient)
    page = client.get(reverse("accounts:disclosure-list")).content.decode()
    assert "Dr Clare Clinician" in page
    assert "Sue Supervisor" in page  # accepted the consent


def test_log_holds_no_secrets_or_clinical_text(client, patient, consent, clinician):
    client.force_login(clinician)
    client.get(reverse("accounts:patient-detail", args=[patient.pk]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        dump = repr(cursor.fetchall()).lower()
    for secret in (PASSWORD.lower(), consent.consent_text[:40].lower(), "naltrexone", "heroin"):
        assert secret not in dump


def test_audit_rows_cannot_be_changed_or_deleted(patient, consent):
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="x")


def test_database_itself_refuses_to_change_audit_rows(patient, consent):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'tampered'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert not AuditEvent.objects.filter(action="tampered").exists()
    assert AuditEvent.objects.exists()


CLINICAL_WORDS = {
    "positive",
    "negative",
    "eligible",
    "not_eligible",
    "intake.self_harm",
    "self_harm",
    "liver",
    "urine_screen",
    "naloxone",
    "crisis_referral",
    "missed_dose_alert",
    "outside",
    "clinic",
}


def test_the_audit_log_holds_no_clinical_facts(db, settings):
    """The demo clinic runs every clinical journey through the services (results, decisions,
    risk tasks, support plans): its audit rows say who, what kind of action, which record."""
    from io import StringIO

    from django.core.management import call_command

    from apps.audit.services import ALLOWED_DETAIL_KEYS

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    events = list(AuditEvent.objects.all())
    assert len(events) > 20
    for event in events:
        assert set(event.detail) <= ALLOWED_DETAIL_KEYS, (event.action, event.detail)
        values = {str(v) for v in event.detail.values()}
        assert not values & CLINICAL_WORDS, (event.action, event.detail)


def test_audit_record_refuses_a_detail_that_is_not_an_allowed_fact(patient):
    from apps.audit.services import audit_record

    with pytest.raises(ValueError, match="allowed"):
        audit_record(actor=None, action="intake.test", patient=patient, detail={"result": "x"})
