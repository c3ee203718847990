"""Every page that shows patients to someone other than the patient writes audit rows: one per
patient shown (so each sees it on "who has seen my record"), in one insert."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent


def read_rows(actor, patient, since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=since, actor=actor, patient=patient))


@pytest.mark.parametrize(
    ("persona", "route", "kwargs", "what"),
    [
        ("clinician", "worklist:task-list", {}, "worklist"),
        ("clinician", "accounts:caseload", {}, "caseload"),
        ("clinician", "intake:queue", {}, "intake_queue"),
        ("clinician", "intake:record", {"record": "urine-screen"}, "intake_urine-screen"),
        ("supervisor", "core:supervisor-dashboard", {}, "supervisor_dashboard"),
    ],
)
def test_pages_showing_patients_are_audited(client, world, persona, route, kwargs, what):
    patient = world.personas["patient"]
    actor = world.personas[persona]
    if "record" in kwargs:
        kwargs = {**kwargs, "patient_id": patient.pk}
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.force_login(actor)
    assert client.get(reverse(route, kwargs=kwargs)).status_code == 200
    rows = read_rows(actor, patient, since)
    assert [r.detail for r in rows] == [{"what": what}], rows
    # Nobody else's name on the page is left out of the log, and nobody not shown is in it.
    other = world.personas["other_patient"]
    assert not read_rows(actor, other, since)


def test_the_consent_request_page_is_audited(client, patient, supervisor, clinician):
    from tests.conftest import link_supervisor

    consent = link_supervisor(patient, supervisor, clinician, confirm=False)
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.force_login(supervisor)
    response = client.get(reverse("accounts:consent-respond", args=[consent.pk]))
    assert response.status_code == 200
    rows = read_rows(supervisor, patient, since)
    assert [r.detail for r in rows] == [{"what": "consent_request"}]


@pytest.mark.parametrize("model", ["user", "patientprofile"])
def test_admin_history_pages_are_audited(client, staff, patient, model):
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.force_login(staff)
    response = client.get(reverse(f"admin:accounts_{model}_history", args=[patient.pk]))
    assert response.status_code == 200
    rows = read_rows(staff, patient, since)
    assert [r.detail for r in rows] == [{"what": f"admin_history:{model}"}]


def test_opening_the_audit_log_is_itself_audited(client, staff, clinician, patient):
    client.force_login(clinician)
    client.get(reverse("accounts:patient-detail", args=[patient.pk]))
    event = AuditEvent.objects.filter(patient=patient).latest("pk")
    since = AuditEvent.objects.latest("pk").pk
    client.force_login(staff)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert AuditEvent.objects.filter(pk__gt=since, actor=staff, action="audit.log_viewed").exists()
    assert read_rows(staff, patient, since)  # the patients whose rows were shown
    since = AuditEvent.objects.latest("pk").pk
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(url).status_code == 200
    opened = AuditEvent.objects.get(pk__gt=since, actor=staff)
    assert (opened.action, opened.patient, opened.detail) == (
        "audit.log_viewed",
        patient,
        {"event": event.pk},
    )
