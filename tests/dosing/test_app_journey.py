"""End to end, exactly as a mobile app: sign in through allauth's headless endpoints (the
clinician with their authenticator code), then the day's jobs over the API with the session
token only (no cookies): the supervisor confirms a dose and raises a concern, the patient books
and cancels a session, the clinician sees and acknowledges the alert. A POST retried with the
same Idempotency-Key returns the first answer and changes nothing twice; signing out ends the
token."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from apps.counselling.models import Booking
from apps.dosing.escalation_models import Concern
from apps.dosing.models import DoseOutcome
from tests.api.test_headless import SESSION, TWO_FACTOR, sign_in, token_of, totp_now
from tests.counselling.helpers import open_every_day
from tests.dosing.conftest import TODAY

DAY2 = TODAY + dt.timedelta(days=1)
ME = reverse("api:accounts-api:me")


class App:
    """One phone: its own HTTP client, no cookies, the token on every call."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers: dict[str, Any] = {"HTTP_X_SESSION_TOKEN": token}

    def get(self, name: str, params: dict | None = None, **kwargs):
        return self.client.get(reverse(name, kwargs=kwargs or None), params or {}, **self.headers)

    def post(self, name: str, body: dict, key: str, **kwargs):
        return self.client.post(
            reverse(name, kwargs=kwargs or None),
            json.dumps(body),
            "application/json",
            HTTP_IDEMPOTENCY_KEY=key,
            **self.headers,
        )

    def sign_out(self) -> None:
        assert self.client.delete(SESSION, **self.headers).status_code == 401  # signed out
        assert self.client.get(ME, **self.headers).status_code == 401


def app_for(email: str) -> App:
    signing_in = Client()
    response = sign_in(signing_in, email)
    assert response.status_code == 200, response.content
    return App(token_of(response))


def test_the_three_daily_journeys_as_an_app(started, patient, supervisor, clinician, clock):
    open_every_day(clinician)
    clock.move_to(dt.datetime(2026, 6, 2, 8, 10, tzinfo=dt.UTC))  # Tuesday 9:10am in London

    # The supervisor: today's dose, confirmed once however often the phone retries.
    phone = app_for(supervisor.email)
    doses = phone.get(
        "api:dosing-api:dose-list", {"patient": patient.pk, "from": DAY2, "to": DAY2}
    ).json()["results"]
    (dose,) = doses
    assert dose["status"] == "not_recorded"
    first = phone.post(
        "api:dosing-api:dose-outcome", {"outcome": "witnessed"}, "dose-1", dose_id=dose["id"]
    )
    again = phone.post(
        "api:dosing-api:dose-outcome", {"outcome": "witnessed"}, "dose-1", dose_id=dose["id"]
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert DoseOutcome.objects.filter(dose_id=dose["id"]).count() == 1
    concern = {"patient": patient.pk, "level": "quite", "message": "Seemed low and tired."}
    raised = phone.post("api:dosing-api:concern-create", concern, "concern-1")
    assert raised.status_code == 201
    assert phone.post("api:dosing-api:concern-create", concern, "concern-1").json() == (
        raised.json()
    )
    assert Concern.objects.filter(patient=patient).count() == 1
    phone.sign_out()

    # The patient: a session booked and cancelled.
    phone = app_for(patient.email)
    slot = phone.get("api:counselling-api:slot-list").json()["results"][0]
    booking = {"clinician": slot["clinician"], "start": slot["start"]}
    booked = phone.post("api:counselling-api:appointment-list", booking, "book-1")
    assert booked.status_code == 201
    replayed = phone.post("api:counselling-api:appointment-list", booking, "book-1")
    assert replayed.json() == booked.json()
    assert Booking.objects.filter(patient=patient).count() == 1
    mine = phone.get("api:counselling-api:appointment-list").json()["results"]
    assert [a["id"] for a in mine] == [booked.json()["id"]]
    cancelled = phone.post(
        "api:counselling-api:appointment-cancel", {}, "cancel-1", booking_id=booked.json()["id"]
    )
    assert cancelled.json()["status"] == "cancelled"
    assert phone.get("api:patients-api:patient-list").json()["results"][0]["protected_until"] == (
        "2026-06-03T08:10:00Z"
    )
    phone.sign_out()

    # The clinician: password, then the authenticator code, then the alert.
    signing_in = Client()
    response = sign_in(signing_in, clinician.email)
    assert response.status_code == 401  # the authenticator step is pending
    token = token_of(response)
    assert App(token).get("api:dosing-api:alert-list").status_code == 401
    done = signing_in.post(
        TWO_FACTOR,
        {"code": totp_now()},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert done.status_code == 200, done.content
    phone = App(done.json()["meta"].get("session_token", token))
    alerts = phone.get("api:dosing-api:alert-list").json()["results"]
    assert alerts[0]["rule"] == "tier3_concern"
    seen = phone.post("api:dosing-api:alert-acknowledge", {}, "ack-1", alert_id=alerts[0]["id"])
    assert seen.status_code == 200
    assert alerts[0]["id"] not in [
        a["id"] for a in phone.get("api:dosing-api:alert-list").json()["results"]
    ]
    phone.sign_out()
