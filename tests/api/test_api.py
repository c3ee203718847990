"""The API's contract: fields, the error shape, pagination, scoped fields for supervisors,
Idempotency-Key and throttling. Signed in with the browser session here; tests/api/test_headless.py
signs in as an app would."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from apps.api.errors import api_exception_handler
from apps.api.models import IdempotentRequest
from apps.api.tasks import purge_idempotency_keys
from apps.api.throttles import WriteRateThrottle
from apps.audit.models import AuditEvent
from apps.content.models import EntryStatus, FaqCategory
from apps.content.services import faq_entry_save
from apps.core.exceptions import ServiceError
from apps.notifications.models import Notification
from apps.notifications.services import notification_queue

ME = reverse("api:accounts-api:me")
PATIENTS = reverse("api:patients-api:patient-list")


def patient_url(pk: int) -> str:
    return reverse("api:patients-api:patient-detail", kwargs={"patient_id": pk})


def read_url(pk: int) -> str:
    return reverse("api:notifications-api:notification-read", kwargs={"notification_id": pk})


def test_me_answers_the_contract_fields(client, patient):
    client.force_login(patient)
    body = client.get(ME).json()
    assert {"id", "email", "role", "name", "time_zone"} <= body.keys()
    assert body["id"] == patient.pk
    assert body["role"] == "patient"
    assert body["name"] == "Pat Patient"
    assert body["time_zone"] == "Europe/London"


def test_errors_have_a_code_and_a_message(client, patient, other_patient, staff):
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "Sign in to continue."}
    assert "X-Session-Token" in response["WWW-Authenticate"]

    client.force_login(patient)
    missing = client.get(patient_url(other_patient.pk))
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": "Not found."}
    wrong_method = client.post(ME)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["code"] == "method_not_allowed"

    client.force_login(staff)
    denied = client.get(PATIENTS)
    assert denied.status_code == 403
    assert denied.json()["code"] == "permission_denied"


def test_validation_errors_name_the_field(client, patient):
    client.force_login(patient)
    note = notification_queue(recipient=patient, kind="portal_update", event_key="v:1")
    response = client.post(read_url(note.pk), HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["Idempotency-Key"]
    note.refresh_from_db()
    assert note.read_at is None


def test_supervisor_receives_only_the_fields_their_consent_covers(client, consent, supervisor):
    client.force_login(supervisor)
    listed = client.get(PATIENTS).json()["results"]
    assert [set(p) for p in listed] == [{"id", "name", "protected_until"}]
    one = client.get(patient_url(consent.patient_id)).json()
    assert set(one) == {"id", "name", "protected_until"}
    assert AuditEvent.objects.filter(
        actor=supervisor, action="audit.record_viewed", patient_id=consent.patient_id
    ).exists()


def test_clinician_sees_their_caseload_with_the_pathway_state(
    client, clinician, patient, other_patient
):
    client.force_login(clinician)
    body = client.get(PATIENTS).json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": patient.pk,
            "name": "Pat Patient",
            "pathway_state": "invited",
            "protected_until": None,
        }
    ]


def test_patient_sees_only_themselves(client, patient, other_patient):
    client.force_login(patient)
    assert [p["id"] for p in client.get(PATIENTS).json()["results"]] == [patient.pk]


def test_lists_come_in_pages(client, patient):
    for n in range(3):
        notification_queue(recipient=patient, kind="portal_update", event_key=f"page:{n}")
    client.force_login(patient)
    url = reverse("api:notifications-api:notification-list")
    first = client.get(url, {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"]
    assert len(client.get(url, {"page_size": 2, "page": 2}).json()["results"]) == 1
    past_the_end = client.get(url, {"page": 99})
    assert past_the_end.status_code == 400  # the caller's mistake, naming the field
    assert "page" in past_the_end.json()["fields"]


def test_faq_is_public_and_its_html_is_sanitised(client, staff):
    category = FaqCategory.objects.create(slug="api-test", title="API test", audience="everyone")
    faq_entry_save(
        actor=staff,
        entry=None,
        slug="api-test-entry",
        category=category,
        question="Is this safe?",
        answer='**Yes.** <script>alert(1)</script> <a href="javascript:alert(1)">x</a>',
        status=EntryStatus.PUBLISHED,
        audience="everyone",
    )
    response = client.get(reverse("api:content-api:faq-list"), {"page_size": 100})
    assert response.status_code == 200
    entry = next(e for e in response.json()["results"] if e["id"] == "api-test-entry")
    assert entry["category"] == "api-test"
    assert "<strong>Yes.</strong>" in entry["answer"]
    assert "<script" not in entry["answer"]
    assert "javascript:" not in entry["answer"]


# --- Idempotency-Key ----------------------------------------------------------------------------


def test_a_retried_post_returns_the_first_answer_and_changes_nothing_twice(client, patient):
    note = notification_queue(recipient=patient, kind="portal_update", event_key="retry:1")
    client.force_login(patient)
    first = client.post(read_url(note.pk), HTTP_IDEMPOTENCY_KEY="tap-1")
    assert first.status_code == 200
    note.refresh_from_db()
    read_at = note.read_at
    assert read_at is not None

    # The app did not hear the answer and sends the very same request again.
    again = client.post(read_url(note.pk), HTTP_IDEMPOTENCY_KEY="tap-1")
    assert again.status_code == first.status_code
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    note.refresh_from_db()
    assert note.read_at == read_at
    assert (
        AuditEvent.objects.filter(action="notifications.read", target_id=str(note.pk)).count() == 1
    )
    assert IdempotentRequest.objects.filter(user=patient).count() == 1


def test_the_same_key_for_another_request_is_refused(client, patient):
    one = notification_queue(recipient=patient, kind="portal_update", event_key="reuse:1")
    two = notification_queue(recipient=patient, kind="portal_update", event_key="reuse:2")
    client.force_login(patient)
    assert client.post(read_url(one.pk), HTTP_IDEMPOTENCY_KEY="same").status_code == 200
    refused = client.post(read_url(two.pk), HTTP_IDEMPOTENCY_KEY="same")
    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency_key_reused"
    two.refresh_from_db()
    assert two.read_at is None


def test_a_refused_post_is_not_remembered(client, patient, other_patient):
    theirs = notification_queue(recipient=other_patient, kind="portal_update", event_key="no:1")
    client.force_login(patient)
    assert client.post(read_url(theirs.pk), HTTP_IDEMPOTENCY_KEY="k1").status_code == 404
    assert not IdempotentRequest.objects.exists()


def test_keys_belong_to_one_person(client, patient, other_patient):
    mine = notification_queue(recipient=patient, kind="portal_update", event_key="own:1")
    theirs = notification_queue(recipient=other_patient, kind="portal_update", event_key="own:2")
    client.force_login(patient)
    assert client.post(read_url(mine.pk), HTTP_IDEMPOTENCY_KEY="shared").status_code == 200
    client.force_login(other_patient)
    response = client.post(read_url(theirs.pk), HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response
    theirs.refresh_from_db()
    assert theirs.read_at is not None


def test_the_database_refuses_a_second_row_for_the_same_person_and_key(patient):
    IdempotentRequest.objects.create(user=patient, key="k", fingerprint="a", status_code=200)
    with pytest.raises(IntegrityError):
        IdempotentRequest.objects.create(user=patient, key="k", fingerprint="b", status_code=200)


# --- Throttling ---------------------------------------------------------------------------------


def test_writes_are_throttled_per_person(client, patient, monkeypatch):
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"write": "2/hour"})
    notes = [
        notification_queue(recipient=patient, kind="portal_update", event_key=f"t:{n}")
        for n in range(3)
    ]
    client.force_login(patient)
    assert client.post(read_url(notes[0].pk)).status_code == 200
    assert client.post(read_url(notes[1].pk)).status_code == 200
    refused = client.post(read_url(notes[2].pk))
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert "Retry-After" in refused
    assert Notification.objects.get(pk=notes[2].pk).read_at is None
    # Reading is not a write: still allowed.
    assert client.get(ME).status_code == 200


def test_anonymous_callers_are_throttled_per_address(client, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    url = reverse("api:content-api:faq-list")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_stored_answers_are_forgotten_after_a_day(patient):
    with time_machine.travel(dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC)):
        IdempotentRequest.objects.create(user=patient, key="old", fingerprint="a", status_code=200)
    with time_machine.travel(dt.datetime(2026, 3, 29, 11, 0, tzinfo=dt.UTC)):
        IdempotentRequest.objects.create(user=patient, key="new", fingerprint="b", status_code=200)
        # 23 hours later: across the UK clock change, still kept.
        assert purge_idempotency_keys() == 0
    with time_machine.travel(dt.datetime(2026, 3, 29, 12, 30, tzinfo=dt.UTC)):
        assert purge_idempotency_keys() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]


def test_a_service_refusal_is_a_400_naming_the_field():
    response = api_exception_handler(ServiceError("Choose a plan.", field="plan"), {})
    assert response is not None
    assert response.status_code == 400
    assert response.data == {
        "code": "refused",
        "message": "Choose a plan.",
        "fields": {"plan": ["Choose a plan."]},
    }
