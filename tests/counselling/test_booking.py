"""Booking, moving and cancelling: cut-off boundaries, clinicians on a patient's behalf, other
clinicians only when the clinic allows, and the database's one-booking-per-slot rule."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.clinic.models import ClinicSettings
from apps.core.exceptions import ServiceError
from apps.counselling import services
from apps.counselling.models import Booking, WaitlistOffer
from apps.notifications.models import Notification
from tests.counselling.helpers import open_every_day

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 1, 12, 9, 0, tzinfo=LONDON)  # a Monday
SLOT = dt.datetime(2026, 1, 13, 9, 0, tzinfo=LONDON)  # exactly 24 hours later


@pytest.fixture(autouse=True)
def _open(clinician):
    open_every_day(clinician)


def _book(actor, patient, clinician, starts_at=SLOT, **kwargs):
    return services.booking_create(
        actor=actor, patient=patient, clinician=clinician, starts_at=starts_at, **kwargs
    )


def test_exactly_at_the_cut_off_a_patient_can_book(patient, clinician):
    booking = _book(patient, patient, clinician, now=NOW)
    assert booking.status == Booking.Status.BOOKED
    assert booking.ends_at - booking.starts_at == dt.timedelta(minutes=50)
    assert booking.location == "Room 2"


def test_one_minute_past_the_cut_off_the_patient_is_told_to_call_with_the_number(
    patient, clinician
):
    with pytest.raises(ServiceError, match=r"call the clinic on 0300 000 0000"):
        _book(patient, patient, clinician, now=NOW + dt.timedelta(minutes=1))
    assert not Booking.objects.exists()


def test_the_cut_off_is_a_clinic_setting(patient, clinician):
    ClinicSettings.objects.create(booking_cutoff_hours=48)
    with pytest.raises(ServiceError, match="less than 48 hours"):
        _book(patient, patient, clinician, now=NOW)


def test_the_clinician_books_on_the_patients_behalf_and_may_override_the_cut_off(
    patient, clinician
):
    late = NOW + dt.timedelta(hours=2)
    with pytest.raises(ServiceError):
        _book(clinician, patient, clinician, now=late)
    booking = _book(clinician, patient, clinician, now=late, override_cutoff=True)
    assert booking.booked_by == clinician
    event = AuditEvent.objects.get(action="counselling.booked")
    assert event.detail == {"on_behalf": True, "override": True}


def test_a_patient_cannot_override_the_cut_off(patient, clinician):
    with pytest.raises(ServiceError):
        _book(patient, patient, clinician, now=NOW + dt.timedelta(hours=2), override_cutoff=True)


def test_another_clinician_cannot_book_for_someone_elses_patient(patient, other_clinician):
    with pytest.raises(PermissionDenied):
        _book(other_clinician, patient, other_clinician, now=NOW)


def test_other_clinicians_only_when_the_clinic_allows(patient, other_clinician):
    open_every_day(other_clinician)
    with pytest.raises(PermissionDenied):
        _book(patient, patient, other_clinician, now=NOW)
    ClinicSettings.objects.create(allow_booking_other_clinicians=True)
    assert _book(patient, patient, other_clinician, now=NOW).clinician == other_clinician


def test_a_taken_slot_says_just_taken_and_lists_the_next_free_times(
    patient, other_patient, clinician
):
    # other_patient belongs to another clinician: their clinician books them in (clinic allows).
    ClinicSettings.objects.create(allow_booking_other_clinicians=True)
    _book(patient, patient, clinician, now=NOW)
    with pytest.raises(services.SlotTakenError) as caught:
        _book(other_patient, other_patient, clinician, now=NOW)
    assert "just taken" in caught.value.message
    assert "Tuesday 13 January, 10:00am" in caught.value.message
    assert len(caught.value.next_free) == 3
    assert Booking.objects.count() == 1


def test_a_time_that_is_not_a_slot_is_refused(patient, clinician):
    with pytest.raises(services.SlotTakenError):
        _book(patient, patient, clinician, starts_at=SLOT + dt.timedelta(minutes=5), now=NOW)


def test_the_database_refuses_two_live_bookings_in_one_slot(patient, other_patient, clinician):
    first = _book(patient, patient, clinician, now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            patient=other_patient,
            clinician=clinician,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            location_kind="room",
            location="Room 2",
            booked_by=other_patient,
        )


def test_a_cancelled_slot_can_be_booked_again(patient, clinician):
    first = _book(patient, patient, clinician, starts_at=SLOT + dt.timedelta(days=2), now=NOW)
    services.booking_cancel(actor=patient, booking=first, now=NOW)
    again = _book(patient, patient, clinician, starts_at=SLOT + dt.timedelta(days=2), now=NOW)
    assert again.pk != first.pk


def test_cancel_and_move_stop_at_the_cut_off_for_patients_not_clinicians(patient, clinician):
    booking = _book(patient, patient, clinician, now=NOW)
    later = NOW + dt.timedelta(hours=1)
    with pytest.raises(ServiceError, match="call the clinic"):
        services.booking_cancel(actor=patient, booking=booking, now=later)
    with pytest.raises(ServiceError, match="call the clinic"):
        services.booking_reschedule(
            actor=patient, booking=booking, starts_at=SLOT + dt.timedelta(days=1), now=later
        )
    cancelled = services.booking_cancel(
        actor=clinician, booking=booking, now=later, override_cutoff=True
    )
    assert cancelled.status == Booking.Status.CANCELLED_LATE


def test_moving_keeps_the_calendar_uid_and_raises_the_sequence(patient, clinician):
    booking = _book(patient, patient, clinician, now=NOW)
    uid = booking.uid
    moved = services.booking_reschedule(
        actor=patient, booking=booking, starts_at=SLOT + dt.timedelta(days=1), now=NOW
    )
    assert moved.pk == booking.pk
    assert moved.uid == uid
    assert moved.sequence == 1
    assert Notification.objects.filter(kind="appointment_changed").count() == 1


def test_a_freed_slot_is_offered_to_the_waiting_list(patient, other_patient, clinician):
    ClinicSettings.objects.create(allow_booking_other_clinicians=True)
    early = _book(patient, patient, clinician, starts_at=SLOT + dt.timedelta(days=1), now=NOW)
    with time_machine.travel(NOW, tick=False):
        entry = services.waitlist_join(actor=other_patient)
        services.booking_cancel(actor=patient, booking=early, now=NOW)
    # other_patient waits for their own clinician, not this one: no offer.
    assert not WaitlistOffer.objects.exists()
    entry.clinician = clinician
    entry.save()
    again = _book(patient, patient, clinician, starts_at=SLOT + dt.timedelta(days=1), now=NOW)
    services.booking_cancel(actor=patient, booking=again, now=NOW)
    offer = WaitlistOffer.objects.get()
    assert offer.starts_at == again.starts_at
    assert Notification.objects.filter(kind="appointment_offer", recipient=other_patient).exists()


def test_patient_booking_page_flow(client, patient, clinician):
    client.force_login(patient)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("counselling:slot-list"))
        assert page.status_code == 200
        assert b"Tuesday 13 January" in page.content
        response = client.post(
            reverse("counselling:booking-create"),
            {"clinician": clinician.pk, "starts_at": SLOT.astimezone(dt.UTC).isoformat()},
            follow=True,
        )
    assert b"Appointment booked for Tuesday 13 January, 9:00am" in response.content
    assert Booking.objects.filter(patient=patient).count() == 1


def test_bad_slot_input_changes_nothing_and_says_so(client, patient, clinician):
    client.force_login(patient)
    response = client.post(
        reverse("counselling:booking-create"),
        {"clinician": clinician.pk, "starts_at": "next tuesday"},
        follow=True,
    )
    assert b"Choose a time from the list." in response.content
    assert not Booking.objects.exists()


def test_past_the_cut_off_the_cancel_page_says_to_call_with_the_number(client, patient, clinician):
    booking = _book(patient, patient, clinician, now=NOW)
    client.force_login(patient)
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        response = client.post(
            reverse("counselling:booking-cancel", args=[booking.pk]), follow=True
        )
    assert b"Please call the clinic on 0300 000 0000" in response.content
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
