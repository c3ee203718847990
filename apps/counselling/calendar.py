"""Calendar files (.ics, RFC 5545) built with the `icalendar` library.

Times are written in UTC (`...Z`), which every calendar program shows in its own zone, so an
appointment is right on both sides of a clock change; the person's zone is named in
X-WR-TIMEZONE and the description says the local time in words. One UID per appointment for its
whole life; SEQUENCE grows with every change, and a cancellation is METHOD:CANCEL with the same
UID, so the calendar removes the entry rather than adding a second one.

The text says "Appointment at <clinic>" and the place, never what the appointment is for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar

from apps.counselling.models import Booking, LocationKind
from apps.counselling.slots import zone_of
from apps.counselling.words import when_text

PRODID = "-//Clinic portal//Appointments//EN"


def _event(
    booking: Booking, *, clinic_name: str, zone_name: str, cancelled: bool
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{booking.uid}@clinic-portal")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
    event.add("dtend", booking.ends_at.astimezone(dt.UTC))
    event.add("summary", f"Appointment at {clinic_name}")
    place = booking.location
    if booking.location_kind == LocationKind.VIDEO:
        event.add("location", "Video call")
        event.add("url", booking.location)
    else:
        event.add("location", place)
    local = booking.starts_at.astimezone(zone_of(zone_name))
    event.add(
        "description",
        f"Appointment at {clinic_name}, {when_text(local)} ({zone_name.replace('_', ' ')}). "
        f"Where: {'video call, ' if booking.location_kind == LocationKind.VIDEO else ''}{place}",
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _calendar(method: str | None, zone_name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-timezone", zone_name)
    return cal


def booking_ics(booking: Booking, *, clinic_name: str, zone_name: str) -> bytes:
    """The .ics attached to a confirmation, change or cancellation e-mail."""
    cancelled = booking.status in (Booking.Status.CANCELLED, Booking.Status.CANCELLED_LATE)
    cal = _calendar("CANCEL" if cancelled else "PUBLISH", zone_name)
    cal.add_component(
        _event(booking, clinic_name=clinic_name, zone_name=zone_name, cancelled=cancelled)
    )
    return bytes(cal.to_ical())


def feed_ics(bookings: Iterable[Booking], *, clinic_name: str, zone_name: str) -> bytes:
    """A private calendar feed: the person's appointments, cancelled ones marked cancelled."""
    cal = _calendar(None, zone_name)
    cal.add("x-wr-calname", f"Appointments at {clinic_name}")
    for booking in bookings:
        cancelled = booking.status in (Booking.Status.CANCELLED, Booking.Status.CANCELLED_LATE)
        cal.add_component(
            _event(booking, clinic_name=clinic_name, zone_name=zone_name, cancelled=cancelled)
        )
    return bytes(cal.to_ical())
