"""Session limits: 30 quiet minutes for patients and supervisors, 15 for clinicians and staff,
12 hours in all. Time is moved with time-machine, never slept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night the UK clocks go forward


def open_page(client, name: str) -> int:
    return client.get(reverse(name)).status_code


@pytest.mark.parametrize(
    ("persona", "page", "idle_minutes"),
    [
        ("patient", "core:patient-dashboard", 30),
        ("supervisor", "core:supervisor-dashboard", 30),
        ("clinician", "core:clinician-dashboard", 15),
    ],
)
def test_idle_timeout_holds_at_the_boundary(client, request, persona, page, idle_minutes):
    user = request.getfixturevalue(persona)
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(user)
        assert open_page(client, page) == 200
        traveller.shift(timedelta(minutes=idle_minutes) - timedelta(seconds=1))
        assert open_page(client, page) == 200  # just inside: still signed in, clock restarts
        traveller.shift(timedelta(minutes=idle_minutes))
        assert open_page(client, page) == 200  # exactly the limit since the last request
        traveller.shift(timedelta(minutes=idle_minutes, seconds=1))
        response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_timed_out_session_is_gone_from_the_server(client, patient):
    from django.contrib.sessions.models import Session

    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(patient)
        key = client.session.session_key
        client.get(reverse("core:patient-dashboard"))
        traveller.shift(timedelta(minutes=31))
        client.get(reverse("core:patient-dashboard"))
    assert not Session.objects.filter(session_key=key).exists()


def test_absolute_limit_of_twelve_hours_even_when_active(client, patient):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(patient)
        for _ in range(12 * 60 // 20):
            assert open_page(client, "core:patient-dashboard") == 200
            traveller.shift(timedelta(minutes=20))
        assert open_page(client, "core:patient-dashboard") == 200  # exactly 12 hours
        traveller.shift(timedelta(seconds=1))
        response = client.get(reverse("core:patient-dashboard"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_api_answers_401_when_the_session_has_ended(client, patient):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(patient)
        assert client.get(reverse("api:accounts-api:me")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get(reverse("api:accounts-api:me")).status_code == 401


def test_session_row_is_written_at_most_once_a_minute_yet_idle_time_counts_from_the_last_request(
    client, patient
):
    """The session row records 'last seen' once a minute (no database write on every request);
    the idle limit still counts from the latest request, to the second."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(patient)
        key = client.session.session_key
        assert open_page(client, "core:patient-dashboard") == 200
        traveller.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as ctx:
            assert open_page(client, "core:patient-dashboard") == 200
        writes = [q["sql"] for q in ctx.captured_queries if "UPDATE" in q["sql"].upper()]
        assert not any("django_session" in sql for sql in writes)
        expire_before = Session.objects.get(session_key=key).session_data
        # Exactly the limit after the request that was not written: still signed in.
        traveller.shift(timedelta(minutes=30))
        assert open_page(client, "core:patient-dashboard") == 200
        assert Session.objects.get(session_key=key).session_data != expire_before
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get(reverse("core:patient-dashboard"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
