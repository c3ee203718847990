"""The API's dosing endpoints: protected_until on patients, doses, recording an outcome (with a
token, or the browser session with CSRF as the portal's offline dose queue sends it), concerns
and a clinician's alerts. The rules are the dosing services' own; these tests check that the
API keeps them and speaks the contract."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from apps.api.models import IdempotentRequest
from apps.api.throttles import WriteRateThrottle
from apps.audit.models import AuditEvent
from apps.dosing import escalation
from apps.dosing.escalation_models import Alert, Concern
from apps.dosing.models import DoseOutcome
from apps.dosing.selectors import protection_for
from apps.worklist.models import Task
from tests.api.test_fhir import references
from tests.counselling.helpers import book, open_every_day
from tests.dosing.conftest import TODAY, dose_on
from tests.tokens import token_for

DAY2 = TODAY + dt.timedelta(days=1)
DOSES = reverse("api:dosing-api:dose-list")
PATIENTS = reverse("api:patients-api:patient-list")
CONCERNS = reverse("api:dosing-api:concern-create")
ALERTS = reverse("api:dosing-api:alert-list")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def outcome_url(dose) -> str:
    return reverse("api:dosing-api:dose-outcome", kwargs={"dose_id": dose.pk})


def ack_url(alert) -> str:
    return reverse("api:dosing-api:alert-acknowledge", kwargs={"alert_id": alert.pk})


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), "application/json", **headers)


def token(user) -> dict[str, str]:
    return {"HTTP_X_SESSION_TOKEN": token_for(user)}


# --- protected_until ------------------------------------------------------------------------------


def test_protected_until_is_the_dosing_rule_for_every_role(
    client, started, patient, supervisor, clinician, other_patient, clock
):
    # Day one: 25 mg at 9:05am (24 h). Day two: 50 mg witnessed at 9:10am, the newer dose.
    clock.move_to(at(DAY2, 8, 10))
    post_json(
        client, outcome_url(dose_on(started, DAY2)), {"outcome": "witnessed"}, **token(supervisor)
    )
    expected = at(DAY2 + dt.timedelta(days=1), 8, 10)
    assert protection_for(patient_id=patient.pk).protected_until == expected
    for user in (patient, supervisor, clinician):
        rows = client.get(PATIENTS, **token(user)).json()["results"]
        mine = next(r for r in rows if r["id"] == patient.pk)
        assert mine["protected_until"] == "2026-06-03T08:10:00Z", user.role
    rows = client.get(PATIENTS, **token(other_patient)).json()["results"]
    assert rows == [{**rows[0], "protected_until": None}]


# --- Doses ----------------------------------------------------------------------------------------


def test_doses_carry_the_contract_fields_and_who_recorded_each(
    client, started, patient, supervisor, clinician
):
    body = client.get(DOSES, {"patient": patient.pk, "to": TODAY.isoformat()}, **token(supervisor))
    assert body.status_code == 200
    (first,) = body.json()["results"]
    assert first == {
        "id": dose_on(started, TODAY).pk,
        "patient": patient.pk,
        "due_at": "2026-06-01T08:00:00Z",
        "local_date": "2026-06-01",
        "tablets": 0.5,
        "mg": 25,
        "status": "witnessed",
        "recorded_at": "2026-06-01T08:05:00Z",
        "recorded_by": clinician.display_name,
    }
    later = client.get(DOSES, {"from": DAY2.isoformat()}, **token(patient)).json()["results"]
    assert later
    assert all(d["status"] == "not_recorded" for d in later)
    assert all(d["recorded_by"] is None for d in later)
    assert all(d["local_date"] >= DAY2.isoformat() for d in later)


def test_doses_of_a_patient_out_of_sight_are_not_found(
    client, started, patient, stray_supervisor, other_patient
):
    assert client.get(DOSES, {"patient": patient.pk}, **token(stray_supervisor)).status_code == 404
    assert client.get(DOSES, **token(stray_supervisor)).json()["results"] == []
    assert client.get(DOSES, {"patient": patient.pk}, **token(other_patient)).status_code == 404


def test_bad_dates_are_a_400_naming_the_field(client, started, patient):
    for params, field in (
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"from": "2026-06-05", "to": "2026-06-01"}, "to"),
        ({"patient": "me"}, "patient"),
    ):
        response = client.get(DOSES, params, **token(patient))
        assert response.status_code == 400, params
        assert field in response.json()["fields"], params


# --- Recording an outcome -------------------------------------------------------------------------


def test_a_supervisor_confirms_a_dose_and_a_second_record_is_409_naming_who(
    client, started, supervisor, patient, clock
):
    clock.move_to(at(DAY2, 8, 10))
    dose = dose_on(started, DAY2)
    first = post_json(client, outcome_url(dose), {"outcome": "witnessed"}, **token(supervisor))
    assert first.status_code == 201
    assert first.json()["outcome"] == "witnessed"
    assert first.json()["recorded_by"] == supervisor.display_name
    again = post_json(client, outcome_url(dose), {"outcome": "self_reported"}, **token(patient))
    assert again.status_code == 409
    assert again.json()["code"] == "already_recorded"
    assert again.json()["recorded_by"] == supervisor.display_name
    assert supervisor.display_name in again.json()["message"]
    assert DoseOutcome.objects.filter(dose=dose).count() == 1


def test_outcomes_follow_the_roles_rules(client, started, patient, supervisor, clock):
    clock.move_to(at(DAY2, 8, 10))
    dose = dose_on(started, DAY2)
    assert (
        post_json(client, outcome_url(dose), {"outcome": "witnessed"}, **token(patient)).status_code
        == 403
    )
    assert (
        post_json(client, outcome_url(dose), {"outcome": "self_reported"}, **token(supervisor))
    ).status_code == 403
    assert not DoseOutcome.objects.filter(dose=dose).exists()
    mine = post_json(client, outcome_url(dose), {"outcome": "self_reported"}, **token(patient))
    assert mine.status_code == 201


def test_a_late_record_without_a_reason_is_a_400_naming_late_reason(
    client, started, supervisor, clock
):
    clock.move_to(at(DAY2, 10, 30))
    dose = dose_on(started, DAY2)
    refused = post_json(client, outcome_url(dose), {"outcome": "witnessed"}, **token(supervisor))
    assert refused.status_code == 400
    assert "late_reason" in refused.json()["fields"]
    assert not DoseOutcome.objects.filter(dose=dose).exists()
    ok = post_json(
        client,
        outcome_url(dose),
        {
            "outcome": "witnessed",
            "late_reason": "No signal at the time",
            "taken_at": "2026-06-02T08:05:00Z",
        },
        **token(supervisor),
    )
    assert ok.status_code == 201
    assert ok.json()["taken_at"] == "2026-06-02T08:05:00Z"


def test_the_offline_queue_posts_with_the_browser_session_and_csrf_retried_as_one(
    started, supervisor, clock
):
    """The supervisor's page queues a confirmation while offline and sends it, with the session
    cookie, the X-CSRFToken header and an Idempotency-Key, as often as it must."""
    clock.move_to(at(DAY2, 8, 10))
    dose = dose_on(started, DAY2)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(supervisor)
    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret

    without = post_json(browser, outcome_url(dose), {"outcome": "witnessed"})
    assert without.status_code == 403  # no CSRF header: refused, nothing recorded
    assert not DoseOutcome.objects.filter(dose=dose).exists()

    headers = {"HTTP_X_CSRFTOKEN": secret, "HTTP_IDEMPOTENCY_KEY": "queue-dose-42"}
    answers = [
        post_json(browser, outcome_url(dose), {"outcome": "witnessed"}, **headers) for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[1].json() == answers[2].json() == answers[0].json()
    assert answers[2]["Idempotent-Replayed"] == "true"
    assert DoseOutcome.objects.filter(dose=dose).count() == 1
    assert (
        AuditEvent.objects.filter(action="dosing.outcome_recorded", actor=supervisor).count() == 1
    )
    assert IdempotentRequest.objects.filter(user=supervisor).count() == 1


# --- Concerns -------------------------------------------------------------------------------------


def test_a_supervisor_raises_a_concern_for_an_urgent_task(client, started, patient, supervisor):
    response = post_json(
        client,
        CONCERNS,
        {"patient": patient.pk, "level": "very", "message": "Slurred speech this morning."},
        **token(supervisor),
    )
    assert response.status_code == 201
    assert response.json()["level"] == "very"
    concern = Concern.objects.get(pk=response.json()["id"])
    assert concern.what_seen == "Slurred speech this morning."
    assert concern.task is not None
    assert concern.task.priority == Task.Priority.URGENT


def test_a_concern_names_the_field_at_fault_and_another_patient_is_not_found(
    client, started, patient, supervisor, stray_supervisor
):
    blank = post_json(
        client,
        CONCERNS,
        {"patient": patient.pk, "level": "quite", "message": "   "},
        **token(supervisor),
    )
    assert blank.status_code == 400
    assert "message" in blank.json()["fields"]
    worried = post_json(
        client,
        CONCERNS,
        {"patient": patient.pk, "level": "panic", "message": "x"},
        **token(supervisor),
    )
    assert "level" in worried.json()["fields"]
    theirs = post_json(
        client,
        CONCERNS,
        {"patient": patient.pk, "level": "quite", "message": "Looked unwell."},
        **token(stray_supervisor),
    )
    assert theirs.status_code == 404
    assert not Concern.objects.exists()


# --- Alerts ---------------------------------------------------------------------------------------


def test_alerts_come_urgent_first_and_leave_the_list_once_acknowledged(
    client, started, patient, supervisor, clinician, other_clinician, clock
):
    clock.move_to(at(DAY2, 7, 0))
    post_json(
        client,
        CONCERNS,
        {"patient": patient.pk, "level": "quite", "message": "Seemed low."},
        **token(supervisor),
    )
    clock.move_to(at(DAY2, 10, 30))
    escalation.escalation_sweep()
    rows = client.get(ALERTS, **token(clinician)).json()["results"]
    # The concern (tier 3, urgent) is the oldest but comes first; then the sweep's tier 2
    # (the day-one dose stopped protecting) and tier 1 (the day-two dose is late), newest first.
    assert [r["tier"] for r in rows] == [3, 2, 1]
    assert [r["is_urgent"] for r in rows] == [True, False, False]
    assert rows[0]["patient"] == patient.pk
    assert rows[0]["task_status"] == "open"

    urgent = Alert.objects.get(pk=rows[0]["id"])
    assert client.post(ack_url(urgent), **token(other_clinician)).status_code == 404
    done = client.post(ack_url(urgent), **token(clinician))
    assert done.status_code == 200
    assert done.json()["acknowledged_at"] == "2026-06-02T10:30:00Z"
    clock.move_to(at(DAY2, 11, 0))
    again = client.post(ack_url(urgent), **token(clinician))
    assert again.json()["acknowledged_at"] == "2026-06-02T10:30:00Z"
    assert AuditEvent.objects.filter(action="dosing.alert_acknowledged").count() == 1
    left = client.get(ALERTS, **token(clinician)).json()["results"]
    assert [r["tier"] for r in left] == [2, 1]
    # The urgent task stays open: it closes on purpose, in the portal.
    assert urgent.task is not None
    assert urgent.task.status == Task.Status.OPEN
    assert client.get(ALERTS, **token(other_clinician)).json()["results"] == []


# --- FHIR -----------------------------------------------------------------------------------------


def test_the_fhir_bundle_holds_plan_versions_dose_outcomes_and_appointments(
    client, started, patient, supervisor, clinician, other_patient, clock
):
    clock.move_to(at(DAY2, 8, 10))
    post_json(
        client, outcome_url(dose_on(started, DAY2)), {"outcome": "vomited"}, **token(supervisor)
    )
    open_every_day(clinician)
    booking = book(patient, clinician)
    url = reverse("api:patients-api:patient-fhir", kwargs={"patient_id": patient.pk})
    data = client.get(url, **token(clinician)).json()

    Bundle.model_validate(data)
    for entry in data["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    by_type: dict[str, list[dict]] = {}
    for entry in data["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    (request,) = by_type["MedicationRequest"]
    assert request["status"] == "active"
    assert request["medicationCodeableConcept"]["coding"][0]["code"] == "N07BB04"
    given = {a["status"]: a for a in by_type["MedicationAdministration"]}
    assert given.keys() == {"completed", "stopped"}
    assert given["completed"]["dosage"]["dose"]["value"] == 25
    assert given["stopped"]["statusReason"][0]["text"] == "Vomited or spat out"
    (appointment,) = by_type["Appointment"]
    assert appointment["status"] == "booked"
    assert appointment["identifier"][0]["value"] == str(booking.uid)
    full_urls = {e["fullUrl"] for e in data["entry"]}
    assert set(references(data)) <= full_urls
    assert other_patient.full_name not in json.dumps(data)


# --- Limits ---------------------------------------------------------------------------------------


def test_writes_are_throttled_per_person(
    client, started, patient, supervisor, clinician, monkeypatch
):
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"write": "2/hour"})
    body = {"patient": patient.pk, "level": "a_little", "message": "Quiet today."}
    for _ in range(2):
        assert post_json(client, CONCERNS, body, **token(supervisor)).status_code == 201
    refused = post_json(client, CONCERNS, body, **token(supervisor))
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert Concern.objects.count() == 2
    # Reading is not a write, and the limit is the supervisor's own.
    assert client.get(DOSES, **token(supervisor)).status_code == 200
    alert = Alert.objects.filter(patient=patient).first()
    assert alert is not None
    assert client.post(ack_url(alert), **token(clinician)).status_code == 200


def test_the_database_refuses_an_acknowledgement_without_who(started, patient, supervisor):
    post_json(
        Client(),
        CONCERNS,
        {"patient": patient.pk, "level": "quite", "message": "Seemed low."},
        **token(supervisor),
    )
    alert = Alert.objects.get(patient=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.filter(pk=alert.pk).update(acknowledged_at=alert.created_at)
