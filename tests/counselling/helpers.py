"""Helpers for counselling tests: weekly hours for a clinician, a booked slot."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.counselling import selectors, services
from apps.counselling.models import Booking, LocationKind


def open_every_day(clinician, *, start=dt.time(9, 0), end=dt.time(17, 0), session=50, buffer=10):
    """Weekly hours on all seven days (the clinician's zone), a clinic room."""
    return [
        services.availability_rule_add(
            actor=clinician,
            clinician=clinician,
            weekday=day,
            start_time=start,
            end_time=end,
            session_minutes=session,
            buffer_minutes=buffer,
            location_kind=LocationKind.ROOM,
            location="Room 2",
        )
        for day in range(7)
    ]


def first_free(clinician, *, after_hours: int = 48, now: dt.datetime | None = None):
    now = now or timezone.now()
    start = now + dt.timedelta(hours=after_hours)
    slots = selectors.free_slots(
        [clinician], window_start=start, window_end=start + dt.timedelta(days=14)
    )
    assert slots, "no free slot"
    return slots[0]


def book(patient, clinician, *, after_hours: int = 48, now=None) -> Booking:
    slot = first_free(clinician, after_hours=after_hours, now=now)
    return services.booking_create(
        actor=patient, patient=patient, clinician=clinician, starts_at=slot.starts_at, now=now
    )
