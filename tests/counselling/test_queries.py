"""Counselling lists and dashboards run the same number of queries with 2 rows as with 10."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

import time_machine
from django.urls import reverse

from apps.accounts.roles import Role
from apps.counselling import services
from tests.accounts.test_queries import assert_constant
from tests.conftest import make_user
from tests.counselling.conftest import make_eligible
from tests.counselling.helpers import book, open_every_day

LONDON = zoneinfo.ZoneInfo("Europe/London")
DAY = dt.datetime(2026, 1, 14, 6, 0, tzinfo=LONDON)
_counter = {"n": 0}


def _email(prefix: str) -> str:
    _counter["n"] += 1
    return f"{prefix}{_counter['n']}@q.example"


def add_bookings(patient, clinician) -> Callable[[int], None]:
    def grow(how_many: int) -> None:
        for n in range(how_many):
            booking = book(patient, clinician)
            services.invitee_add(
                actor=patient, booking=booking, name="Sam", email=f"sam{n}@q.example"
            )

    return grow


def test_patient_appointments_and_dashboard_queries_do_not_grow(client, patient, clinician):
    open_every_day(clinician)
    make_eligible(patient, clinician)
    client.force_login(patient)
    # session, user, clinic settings (context), unread notifications, session update,
    # bookings, invitees (prefetched), decision, plan, counted sessions, waiting list, offers
    assert_constant(
        client,
        [reverse("counselling:session-list"), reverse("core:patient-dashboard")],
        add_bookings(patient, clinician),
    )
    page = client.get(reverse("counselling:session-list")).content.decode()
    assert page.count("Invited: Sam") == 10


def add_day(clinician) -> Callable[[int], None]:
    """Each step: a patient with a session today, and an eligible patient overdue for one."""

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            with time_machine.travel(DAY - dt.timedelta(days=20), tick=False):
                booked = make_user(_email("b"), Role.PATIENT, clinician=clinician)
                overdue = make_user(_email("o"), Role.PATIENT, clinician=clinician)
                make_eligible(overdue, clinician)
                book(booked, clinician, after_hours=20 * 24 + 2)

    return grow


def test_clinician_day_and_dashboard_queries_do_not_grow(client, clinician):
    open_every_day(clinician, start=dt.time(8, 0), end=dt.time(20, 0), session=20, buffer=0)
    client.force_login(clinician)
    with time_machine.travel(DAY, tick=False):
        # session, user, two-factor, clinic settings, unread notifications, session update,
        # today's bookings with patients, caseload, decisions, plans, counted sessions
        assert_constant(
            client,
            [reverse("counselling:clinician-sessions"), reverse("core:clinician-dashboard")],
            add_day(clinician),
        )
        page = client.get(reverse("counselling:clinician-sessions")).content.decode()
    # The rows are really there: ten sessions today and ten patients overdue.
    assert page.count('data-label="Time"') == 10
    assert page.count('data-label="Was due by"') == 10
