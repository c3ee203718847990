"""Demo appointments: the clinician's weekly hours (so the coming four weeks have free times),
patient@ with two past sessions attended and one coming up, patient2@ due to book. Through the
services; each step checks first, so a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.core.demo import Demo
from apps.counselling import selectors, services
from apps.counselling.models import AvailabilityRule, Booking, LocationKind


def _hours(demo: Demo, clinician: User) -> None:
    if AvailabilityRule.objects.filter(clinician=clinician).exists():
        return
    for weekday in range(5):  # Monday to Friday, 9:00am to 5:00pm, in a clinic room
        services.availability_rule_add(
            actor=clinician,
            clinician=clinician,
            weekday=weekday,
            start_time=dt.time(9, 0),
            end_time=dt.time(17, 0),
            session_minutes=50,
            buffer_minutes=10,
            location_kind=LocationKind.ROOM,
            location="Room 2, ground floor",
        )
    services.availability_rule_add(  # Thursday evenings by video call
        actor=clinician,
        clinician=clinician,
        weekday=3,
        start_time=dt.time(17, 30),
        end_time=dt.time(19, 30),
        session_minutes=50,
        buffer_minutes=10,
        location_kind=LocationKind.VIDEO,
        location="https://video.example.org/riverside-room-2",
    )
    demo.say("Published weekly hours for clinician@example.org")


def _first_slot(clinician: User, start: dt.datetime) -> dt.datetime:
    slots = selectors.free_slots(
        [clinician], window_start=start, window_end=start + dt.timedelta(days=7)
    )
    return slots[0].starts_at


def seed(demo: Demo) -> None:
    clinician = demo.people["clinician@example.org"]
    _hours(demo, clinician)
    patient = demo.people["patient@example.org"]
    if Booking.objects.filter(patient=patient).exists():
        return
    now = timezone.now()
    for weeks_ago in (3, 1):
        starts_at = _first_slot(clinician, now - dt.timedelta(weeks=weeks_ago))
        # Booked at the time, a few days before the session, by the clinician.
        booking = services.booking_create(
            actor=clinician,
            patient=patient,
            clinician=clinician,
            starts_at=starts_at,
            now=starts_at - dt.timedelta(days=3),
        )
        services.attendance_mark(actor=clinician, booking=booking, status="attended", now=now)
    services.booking_create(
        actor=patient,
        patient=patient,
        clinician=clinician,
        starts_at=_first_slot(clinician, now + dt.timedelta(days=3)),
        now=now,
    )
    demo.say("patient@example.org has two past sessions attended and one coming up")
