"""Signing in as an app does: allauth's headless endpoints give a session token, the API takes
it as X-Session-Token, clinicians complete the authenticator step first, and logout ends the
token. (When token sessions also pass the web's idle, absolute and safety-gate checks, their
tests sit with those checks.)"""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.notifications.services import notification_queue
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.intake.conftest import acknowledge_safety

LOGIN = "/_allauth/app/v1/auth/login"
TWO_FACTOR = "/_allauth/app/v1/auth/2fa/authenticate"
SESSION = "/_allauth/app/v1/auth/session"
ME = reverse("api:accounts-api:me")
PATIENTS = reverse("api:patients-api:patient-list")


def totp_now() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(
        LOGIN, {"email": email, "password": password}, content_type="application/json"
    )


def token_of(response) -> str:
    return response.json()["meta"]["session_token"]


def test_patient_signs_in_as_an_app_uses_the_api_and_signs_out(client, patient):
    acknowledge_safety(patient)  # the safety-message gate holds for apps too
    note = notification_queue(recipient=patient, kind="portal_update", event_key="app:1")
    response = sign_in(client, patient.email)
    assert response.status_code == 200, response.content
    token = token_of(response)
    client.cookies.clear()  # an app has no cookies: only the token
    headers = {"HTTP_X_SESSION_TOKEN": token}

    me = client.get(ME, **headers)
    assert me.status_code == 200
    assert me.json()["id"] == patient.pk

    read = reverse("api:notifications-api:notification-read", kwargs={"notification_id": note.pk})
    first = client.post(read, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1", **headers)
    again = client.post(read, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1", **headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="notifications.read", actor=patient).count() == 1

    assert client.delete(SESSION, **headers).status_code == 401  # allauth: now signed out
    assert client.get(ME, **headers).status_code == 401


def test_clinician_completes_the_authenticator_step_before_any_data(client, clinician, patient):
    response = sign_in(client, clinician.email)
    assert response.status_code == 401
    flows = {f["id"]: f for f in response.json()["data"]["flows"]}
    assert flows["mfa_authenticate"].get("is_pending")
    token = token_of(response)
    client.cookies.clear()
    headers = {"HTTP_X_SESSION_TOKEN": token}

    # Password alone: no data.
    assert client.get(ME, **headers).status_code == 401
    assert client.get(PATIENTS, **headers).status_code == 401

    done = client.post(TWO_FACTOR, {"code": totp_now()}, content_type="application/json", **headers)
    assert done.status_code == 200, done.content
    headers = {"HTTP_X_SESSION_TOKEN": done.json()["meta"].get("session_token", token)}
    assert client.get(ME, **headers).json()["role"] == "clinician"
    listed = client.get(PATIENTS, **headers).json()["results"]
    assert [p["id"] for p in listed] == [patient.pk]


def test_supervisor_app_sees_only_the_consented_fields(client, consent, supervisor):
    token = token_of(sign_in(client, supervisor.email))
    client.cookies.clear()
    listed = client.get(PATIENTS, HTTP_X_SESSION_TOKEN=token).json()["results"]
    assert listed == [{"id": consent.patient_id, "name": "Pat Patient", "protected_until": None}]
    fhir = reverse("api:patients-api:patient-fhir", kwargs={"patient_id": consent.patient_id})
    assert client.get(fhir, HTTP_X_SESSION_TOKEN=token).status_code == 403


def test_a_made_up_token_is_not_signed_in(client, patient):
    assert client.get(ME, HTTP_X_SESSION_TOKEN="not-a-token").status_code == 401


def _codes(response) -> set[str]:
    return {e.get("code") for e in response.json().get("errors", [])}


def test_app_sign_in_is_rate_limited(client, patient):
    """allauth's limit (ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes per account) holds
    for the app endpoint too, and then even the right password waits."""
    answers = [sign_in(client, patient.email, "wrong-password") for _ in range(6)]
    assert _codes(answers[0]) == {"email_password_mismatch"}
    assert _codes(answers[-1]) == {"too_many_login_attempts"}
    right = sign_in(client, patient.email)
    assert right.status_code == 400
    assert _codes(right) == {"too_many_login_attempts"}
