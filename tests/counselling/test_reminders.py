"""The reminder goes out through the outbox exactly once, at the clinic's reminder time before
the appointment, and waits for the end of the patient's quiet hours."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail

from apps.counselling import services
from apps.notifications import services as notification_services
from apps.notifications.models import Delivery, Notification
from tests.counselling.conftest import send_all
from tests.counselling.helpers import open_every_day

LONDON = zoneinfo.ZoneInfo("Europe/London")
SLOT = dt.datetime(2026, 10, 26, 9, 0, tzinfo=LONDON)  # the Monday after the clocks go back
BOOKED_AT = dt.datetime(2026, 10, 20, 12, 0, tzinfo=LONDON)


@pytest.fixture
def booking(patient, clinician):
    open_every_day(clinician)
    with time_machine.travel(BOOKED_AT, tick=False):
        return services.booking_create(
            actor=patient, patient=patient, clinician=clinician, starts_at=SLOT
        )


def _reminders():
    return Notification.objects.filter(kind="appointment_reminder")


def test_no_reminder_before_the_reminder_time(booking):
    assert services.reminders_queue(now=SLOT - dt.timedelta(hours=24, minutes=1)) == 0
    assert not _reminders().exists()


def test_the_reminder_is_queued_once_however_often_the_sweep_runs(booking):
    at = SLOT - dt.timedelta(hours=24)
    # 24 hours before 9:00am Monday is 9:00am Sunday, across the clock change: 25 hours of UTC.
    assert services.reminders_queue(now=at) == 1
    assert services.reminders_queue(now=at + dt.timedelta(minutes=5)) == 0
    assert services.reminders_queue(now=at + dt.timedelta(hours=3)) == 0
    assert _reminders().count() == 1
    with time_machine.travel(at, tick=False):
        send_all(at)
        send_all(at + dt.timedelta(minutes=10))
    reminders = [m for m in mail.outbox if "reminder" in m.subject]
    assert len(reminders) == 1
    assert "Monday 26 October, 9:00am" in reminders[0].body
    assert reminders[0].subject == "Appointment at Riverside Health Centre: reminder"


def test_a_moved_appointment_gets_a_reminder_for_its_new_time_only(booking, patient):
    services.reminders_queue(now=SLOT - dt.timedelta(hours=23))
    with time_machine.travel(BOOKED_AT, tick=False):
        services.booking_reschedule(
            actor=patient, booking=booking, starts_at=SLOT + dt.timedelta(days=1)
        )
    assert services.reminders_queue(now=SLOT + dt.timedelta(hours=1)) == 1
    assert _reminders().count() == 2
    # The first reminder is about the old time: the outbox drops it at send time.
    with time_machine.travel(SLOT + dt.timedelta(hours=1), tick=False):
        send_all(SLOT + dt.timedelta(hours=1))
    statuses = sorted(
        Delivery.objects.filter(notification__kind="appointment_reminder").values_list(
            "status", flat=True
        )
    )
    assert statuses == ["cancelled", "sent"]
    (reminder,) = [m for m in mail.outbox if "reminder" in m.subject]
    assert "Tuesday 27 October, 9:00am" in reminder.body


def test_a_cancelled_appointment_gets_no_reminder(booking, patient):
    with time_machine.travel(BOOKED_AT, tick=False):
        services.booking_cancel(actor=patient, booking=booking)
    assert services.reminders_queue(now=SLOT - dt.timedelta(hours=2)) == 0


def test_the_reminder_waits_for_the_end_of_quiet_hours(booking, patient):
    notification_services.preference_update(
        actor=patient,
        email_enabled=True,
        sms_enabled=False,
        sms_number="",
        quiet_start=dt.time(7, 0),
        quiet_end=dt.time(10, 0),
        include_details=False,
    )
    at = SLOT - dt.timedelta(hours=24)  # 9:00am Sunday, inside the quiet hours
    services.reminders_queue(now=at)
    delivery = Delivery.objects.get(notification__kind="appointment_reminder")
    assert delivery.not_before == dt.datetime(2026, 10, 25, 10, 0, tzinfo=LONDON)
    with time_machine.travel(at, tick=False):
        assert notification_services.delivery_send(delivery_id=delivery.pk) == "skipped"
    with time_machine.travel(delivery.not_before, tick=False):
        assert notification_services.delivery_send(delivery_id=delivery.pk) == "sent"
