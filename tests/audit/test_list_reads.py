"""A list page that shows patients records one audit row per patient shown, in one query, with
who looked, their role, the request and the time: what each patient's "who has seen my record"
page reads."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.audit.models import AuditEvent
from apps.audit.services import audit_read_list
from tests.conftest import make_user


def test_the_caseload_records_each_patient_shown(client, clinician, patient, other_patient):
    second = make_user("second@test.example", Role.PATIENT, clinician=clinician)
    client.force_login(clinician)
    before = timezone.now()
    assert client.get(reverse("accounts:caseload")).status_code == 200
    rows = AuditEvent.objects.filter(action="audit.list_viewed")
    assert sorted(rows.values_list("patient_id", flat=True)) == sorted([patient.pk, second.pk])
    for row in rows:
        assert row.actor_id == clinician.pk
        assert row.actor_role == Role.CLINICIAN
        assert row.detail == {"what": "caseload"}
        assert row.request_id  # the request it came from
        assert row.ip == "127.0.0.1"
        assert before - dt.timedelta(seconds=1) <= row.at <= timezone.now()
    assert not rows.filter(patient=other_patient).exists()  # not in this clinician's caseload


def test_one_query_for_any_number_of_patients(clinician):
    patients = [
        make_user(f"p{n}@test.example", Role.PATIENT, clinician=clinician) for n in range(120)
    ]
    with CaptureQueriesContext(connection) as ctx:
        written = audit_read_list(
            actor=clinician, patient_ids=[p.pk for p in patients] + [clinician.pk], what="worklist"
        )
    assert written == 120  # the reader's own id is left out
    assert len(ctx.captured_queries) == 1
    assert AuditEvent.objects.filter(action="audit.list_viewed", actor=clinician).count() == 120
