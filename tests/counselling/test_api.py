"""The API's counselling endpoints: free slots, appointments, booking (a taken slot is 409 with
the next free times, inside the cut-off is 400 with the reason) and cancelling, through the same
services as the web pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.roles import Role
from apps.counselling.models import Booking
from tests.conftest import make_user
from tests.counselling.helpers import book
from tests.tokens import token_for

# Monday 1 June 2026, 8:00am in London. The clinician's hours are 9am to 5pm every day.
NOW = dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC)
SLOTS = reverse("api:counselling-api:slot-list")
APPOINTMENTS = reverse("api:counselling-api:appointment-list")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def token(user) -> dict[str, str]:
    return {"HTTP_X_SESSION_TOKEN": token_for(user)}


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), "application/json", **headers)


def cancel_url(booking_id: int) -> str:
    return reverse("api:counselling-api:appointment-cancel", kwargs={"booking_id": booking_id})


def test_a_patient_sees_free_times_from_the_cut_off_on(client, patient, clinician, hours):
    rows = client.get(SLOTS, {"to": "2026-06-03"}, **token(patient)).json()["results"]
    # The cut-off is 24 hours: the first free time is Tuesday 9:00am London (08:00 UTC).
    assert rows[0] == {
        "clinician": clinician.pk,
        "clinician_name": clinician.full_name,
        "start": "2026-06-02T08:00:00Z",
        "end": "2026-06-02T08:50:00Z",
        "location_kind": "room",
        "location": "Room 2",
    }
    assert rows[-1]["start"].startswith("2026-06-03")
    # The clinician sees their own free times from now on: today's are still open to them.
    own = client.get(SLOTS, {"to": "2026-06-01"}, **token(clinician)).json()["results"]
    assert own[0]["start"] == "2026-06-01T08:00:00Z"


def test_the_slot_range_is_bounded_and_bad_dates_name_the_field(client, patient, hours):
    too_long = client.get(SLOTS, {"from": "2026-06-01", "to": "2026-08-01"}, **token(patient))
    assert too_long.status_code == 400
    assert "to" in too_long.json()["fields"]
    bad = client.get(SLOTS, {"from": "soon"}, **token(patient))
    assert bad.status_code == 400
    assert "from" in bad.json()["fields"]
    backwards = client.get(SLOTS, {"from": "2026-06-05", "to": "2026-06-04"}, **token(patient))
    assert "to" in backwards.json()["fields"]
    for params, field in (
        ({"from": "9999-12-20", "to": "9999-12-31"}, "from"),
        ({"from": "0001-01-01", "to": "0001-01-02"}, "from"),
        ({"to": "2027-12-31", "from": "2027-12-01"}, "from"),
    ):
        far = client.get(SLOTS, params, **token(patient))
        assert far.status_code == 400, params
        assert field in far.json()["fields"], params


def test_a_patient_books_and_cancels_and_a_second_cancel_changes_nothing(
    client, patient, clinician, hours
):
    booked = post_json(
        client,
        APPOINTMENTS,
        {"clinician": clinician.pk, "start": "2026-06-03T08:00:00Z"},
        **token(patient),
    )
    assert booked.status_code == 201
    body = booked.json()
    assert body["status"] == "booked"
    assert body["patient"] == patient.pk
    assert body["start"] == "2026-06-03T08:00:00Z"
    mine = client.get(APPOINTMENTS, **token(patient)).json()["results"]
    assert [a["id"] for a in mine] == [body["id"]]
    cancelled = post_json(client, cancel_url(body["id"]), {}, **token(patient))
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    booking = Booking.objects.get(pk=body["id"])
    again = post_json(client, cancel_url(body["id"]), {}, **token(patient))
    assert again.json()["status"] == "cancelled"
    booking_after = Booking.objects.get(pk=body["id"])
    assert booking_after.sequence == booking.sequence


def test_a_taken_time_is_409_with_the_next_free_times(client, patient, clinician, hours):
    neighbour = make_user("neighbour@test.example", Role.PATIENT, clinician=clinician)
    first = post_json(
        client,
        APPOINTMENTS,
        {"clinician": clinician.pk, "start": "2026-06-03T08:00:00Z"},
        **token(neighbour),
    )
    assert first.status_code == 201
    taken = post_json(
        client,
        APPOINTMENTS,
        {"clinician": clinician.pk, "start": "2026-06-03T08:00:00Z"},
        **token(patient),
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "slot_taken"
    assert taken.json()["next_free"][0]["start"] == "2026-06-02T08:00:00Z"
    assert Booking.objects.filter(patient=patient).count() == 0


def test_inside_the_cut_off_booking_and_cancelling_are_400_with_the_reason(
    client, patient, clinician, hours, clock
):
    inside = post_json(
        client,
        APPOINTMENTS,
        {"clinician": clinician.pk, "start": "2026-06-01T13:00:00Z"},
        **token(patient),
    )
    assert inside.status_code == 400
    assert "less than 24 hours away" in inside.json()["message"]
    booking = book(patient, clinician, after_hours=48)
    clock.move_to(booking.starts_at - dt.timedelta(hours=3))
    late = post_json(client, cancel_url(booking.pk), {}, **token(patient))
    assert late.status_code == 400
    assert "call the clinic" in late.json()["message"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_a_clinician_books_for_their_patient_only(
    client, patient, other_patient, clinician, other_clinician, hours
):
    start = "2026-06-03T09:00:00Z"
    missing = post_json(
        client, APPOINTMENTS, {"clinician": clinician.pk, "start": start}, **token(clinician)
    )
    assert missing.status_code == 400
    assert "patient" in missing.json()["fields"]
    theirs = post_json(
        client,
        APPOINTMENTS,
        {"clinician": clinician.pk, "start": start, "patient": other_patient.pk},
        **token(clinician),
    )
    assert theirs.status_code == 404
    ok = post_json(
        client,
        APPOINTMENTS,
        {"clinician": clinician.pk, "start": start, "patient": patient.pk},
        **token(clinician),
    )
    assert ok.status_code == 201
    assert [
        a["patient"] for a in client.get(APPOINTMENTS, **token(clinician)).json()["results"]
    ] == [patient.pk]
    assert client.get(APPOINTMENTS, **token(other_clinician)).json()["results"] == []
    assert client.post(cancel_url(ok.json()["id"]), **token(other_clinician)).status_code == 404


def test_a_time_far_ahead_is_a_400_naming_start(client, patient, clinician, hours):
    far = post_json(
        client,
        APPOINTMENTS,
        {"clinician": clinician.pk, "start": "9999-12-31T23:59:59Z"},
        **token(patient),
    )
    assert far.status_code == 400
    assert "start" in far.json()["fields"]


def test_a_patient_cannot_book_a_clinician_outside_their_care(
    client, patient, other_clinician, hours
):
    refused = post_json(
        client,
        APPOINTMENTS,
        {"clinician": other_clinician.pk, "start": "2026-06-03T08:00:00Z"},
        **token(patient),
    )
    assert refused.status_code == 400
    assert "clinician" in refused.json()["fields"]
