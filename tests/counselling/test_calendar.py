"""E-mails carry calendar files built with `icalendar`; parsed back, the times are right on both
sides of a UK clock change, a cancellation cancels the same UID, and no text says what the
appointment is for."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
import time_machine
from django.core import mail

from apps.counselling import services
from apps.counselling.models import Booking
from tests.counselling.conftest import send_all
from tests.counselling.helpers import open_every_day
from tests.notifications.conftest import CLINICAL_WORDS

LONDON = zoneinfo.ZoneInfo("Europe/London")
# The clocks go forward on Sunday 29 March 2026.
BEFORE = dt.datetime(2026, 3, 28, 9, 0, tzinfo=LONDON)  # 09:00 GMT = 09:00 UTC
AFTER = dt.datetime(2026, 3, 30, 9, 0, tzinfo=LONDON)  # 09:00 BST = 08:00 UTC
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _open(clinician):
    open_every_day(clinician)


def _ics(message) -> icalendar.Calendar:
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename == "appointment.ics"
    assert mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def _event(cal: icalendar.Calendar) -> icalendar.Component:
    (event,) = cal.walk("VEVENT")
    return event


def _book(patient, clinician, when):
    with time_machine.travel(NOW, tick=False):
        booking = services.booking_create(
            actor=patient, patient=patient, clinician=clinician, starts_at=when
        )
        send_all()
    return booking


@pytest.mark.parametrize(("when", "utc_hour"), [(BEFORE, 9), (AFTER, 8)])
def test_the_confirmation_calendar_file_has_the_right_time_across_the_clock_change(
    patient, clinician, when, utc_hour
):
    _book(patient, clinician, when)
    (message,) = mail.outbox
    event = _event(_ics(message))
    start = event.decoded("dtstart")
    assert start.utcoffset() == dt.timedelta(0)  # written in UTC
    assert start.hour == utc_hour
    assert start.astimezone(LONDON).time() == dt.time(9, 0)
    assert event.decoded("dtend") - start == dt.timedelta(minutes=50)
    # The e-mail says the local time in words, in the patient's zone.
    assert f"{when:%A} {when.day} March, 9:00am" in message.body


def test_moving_across_the_clock_change_sends_the_same_uid_with_a_higher_sequence(
    patient, clinician
):
    booking = _book(patient, clinician, BEFORE)
    first = _event(_ics(mail.outbox[0]))
    with time_machine.travel(NOW, tick=False):
        services.booking_reschedule(actor=patient, booking=booking, starts_at=AFTER)
        send_all()
    moved = _event(_ics(mail.outbox[-1]))
    assert str(moved["uid"]) == str(first["uid"])
    assert moved.decoded("sequence") == first.decoded("sequence") + 1
    assert moved.decoded("dtstart") == AFTER.astimezone(dt.UTC)
    assert "moved" in mail.outbox[-1].subject


def test_a_cancellation_cancels_the_same_uid_for_the_patient_and_the_invitee(patient, clinician):
    booking = _book(patient, clinician, AFTER)
    uid = str(_event(_ics(mail.outbox[0]))["uid"])
    with time_machine.travel(NOW, tick=False):
        services.invitee_add(
            actor=patient, booking=booking, name="Sam Brother", email="sam@x.example"
        )
        send_all()
        services.booking_cancel(actor=patient, booking=booking)
        send_all()
    cancellations = [m for m in mail.outbox if "cancelled" in m.subject]
    assert sorted(m.to[0] for m in cancellations) == ["patient@test.example", "sam@x.example"]
    for message in cancellations:
        cal = _ics(message)
        assert str(cal["method"]) == "CANCEL"
        event = _event(cal)
        assert str(event["uid"]) == uid
        assert str(event["status"]) == "CANCELLED"
        assert event.decoded("sequence") == 1


def test_subjects_and_calendar_text_say_appointment_at_the_clinic_and_nothing_clinical(
    patient, clinician
):
    booking = _book(patient, clinician, AFTER)
    with time_machine.travel(NOW, tick=False):
        services.invitee_add(actor=patient, booking=booking, name="Sam", email="sam@x.example")
        send_all()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.subject.startswith("Appointment at Riverside Health Centre")
        event = _event(_ics(message))
        text = (
            " ".join(str(event.get(k, "")) for k in ("summary", "description", "location"))
            + message.subject
        )
        assert str(event["summary"]) == "Appointment at Riverside Health Centre"
        for word in (*CLINICAL_WORDS, "counselling", "counseling", "therapy"):
            assert word not in text.lower(), word
    invitation = next(m for m in mail.outbox if m.to == ["sam@x.example"])
    # Time and place only: no sign-in link for someone without an account.
    assert "Room 2" in invitation.body
    assert "/appointments/" not in invitation.body


def test_a_message_about_an_old_version_is_not_sent(patient, clinician):
    with time_machine.travel(NOW, tick=False):
        booking = services.booking_create(
            actor=patient, patient=patient, clinician=clinician, starts_at=BEFORE
        )
        services.booking_reschedule(actor=patient, booking=booking, starts_at=AFTER)
        results = send_all()
    # The first confirmation is about a time that no longer holds: dropped, not sent.
    assert sorted(results) == ["cancelled", "sent"]
    assert Booking.objects.get().sequence == 1


def test_over_real_smtp_the_calendar_file_arrives_beside_both_parts(patient, clinician, settings):
    from tests.notifications.sinks import smtp_sink

    with smtp_sink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        _book(patient, clinician, AFTER)
    (message,) = sink.messages
    assert message.get_body(("plain",)) is not None
    assert message.get_body(("html",)) is not None
    (part,) = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_filename() == "appointment.ics"
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    event = _event(icalendar.Calendar.from_ical(payload))
    assert event.decoded("dtstart") == AFTER.astimezone(dt.UTC)
