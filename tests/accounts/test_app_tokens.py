"""App tokens (allauth headless `X-Session-Token`) obey the web's rules: two-factor sign-in for
clinicians and staff, the idle and absolute limits, and the safety-message gate. The rules live in
one place (accounts/session_rules.py), asked by the middleware and the API's authentication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import path, reverse
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import HasRole, Role
from apps.content.safety_gate import ACK_MESSAGE
from portal.urls import urlpatterns as portal_urlpatterns
from tests.conftest import PASSWORD
from tests.tokens import app_sign_in, token_for

START = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the night the UK clocks go back
ME = "/api/v1/me/"


def me(client, token):
    return client.get(ME, HTTP_X_SESSION_TOKEN=token)


def test_a_clinician_without_an_authenticator_gets_a_token_but_no_data(client, clinician):
    Authenticator.objects.filter(user=clinician).delete()
    signed_in = app_sign_in(client, clinician.email)
    assert signed_in.status_code == 200
    token = signed_in.json()["meta"]["session_token"]
    client.cookies.clear()
    response = me(client, token)
    assert response.status_code == 403
    assert "two-factor" in response.json()["message"]


def test_a_clinician_with_an_authenticator_must_give_a_code_before_a_token_works(client, clinician):
    signed_in = app_sign_in(client, clinician.email)
    assert signed_in.status_code == 401  # the two-factor step is pending
    assert signed_in.json()["data"]["flows"][-1]["is_pending"]


@pytest.mark.parametrize(("persona", "idle_minutes"), [("patient", 30), ("clinician", 15)])
def test_an_idle_token_stops_working_and_is_deleted(client, request, persona, idle_minutes):
    user = request.getfixturevalue(persona)
    with time_machine.travel(START, tick=False) as traveller:
        token = token_for(user)
        assert me(client, token).status_code == 200
        traveller.shift(timedelta(minutes=idle_minutes))
        assert me(client, token).status_code == 200  # exactly the limit: still fine
        traveller.shift(timedelta(minutes=idle_minutes, seconds=1))
        response = me(client, token)
    assert response.status_code == 401
    assert response.json()["message"].startswith("Your session has ended")
    assert not Session.objects.filter(session_key=token).exists()
    assert me(client, token).status_code == 401


def test_a_token_used_all_day_still_ends_after_twelve_hours(client, patient):
    with time_machine.travel(START, tick=False) as traveller:
        token = token_for(patient)
        for _ in range(12 * 60 // 20):
            assert me(client, token).status_code == 200
            traveller.shift(timedelta(minutes=20))
        traveller.shift(timedelta(seconds=1))  # 12 hours and a second since sign-in
        assert me(client, token).status_code == 401


def test_an_idle_token_is_refused_at_allauths_app_endpoints_too(client, patient):
    session_url = "/_allauth/app/v1/auth/session"
    with time_machine.travel(START, tick=False) as traveller:
        token = token_for(patient)
        assert client.get(session_url, HTTP_X_SESSION_TOKEN=token).status_code == 200
        traveller.shift(timedelta(minutes=76))
        response = client.get(session_url, HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 401
    assert not Session.objects.filter(session_key=token).exists()


def test_the_sign_in_time_starts_the_absolute_clock(client, patient):
    with time_machine.travel(START, tick=False) as traveller:
        token = app_sign_in(client, patient.email).json()["meta"]["session_token"]
        client.cookies.clear()
        traveller.shift(timedelta(hours=12, seconds=1))
        # Not idle by the app's own use (just now), but past 12 hours since sign-in.
        assert me(client, token).status_code == 401


class _PatientThing(APIView):
    permission_classes = [HasRole.of(Role.PATIENT)]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [*portal_urlpatterns, path("api/v1/scratch-thing/", _PatientThing.as_view())]


@override_settings(ROOT_URLCONF=__name__)
def test_a_patient_app_meets_the_safety_messages_first(client, patient):
    signed_in = app_sign_in(client, patient.email)
    token = signed_in.json()["meta"]["session_token"]
    client.cookies.clear()
    assert me(client, token).status_code == 200  # who am I: allowed
    response = client.get("/api/v1/scratch-thing/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 403
    assert response.json()["message"] == ACK_MESSAGE

    from apps.content.selectors import safety_version_current
    from apps.content.services import safety_acknowledge

    version = safety_version_current()
    assert version is not None
    safety_acknowledge(actor=patient, version=version)
    assert client.get("/api/v1/scratch-thing/", HTTP_X_SESSION_TOKEN=token).status_code == 200


def test_the_same_cookie_session_is_gated_in_the_browser(client, patient):
    client.post(
        reverse("account_login"),
        {"login": patient.email, "password": PASSWORD},
    )
    response = client.get(reverse("core:patient-dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("content:safety-acknowledge"))
