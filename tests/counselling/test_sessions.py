"""Attendance, clinician-only notes with audited reads, invitations, and what a supervisor sees
(nothing unless invited)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError
from apps.counselling import services
from apps.counselling.models import Booking
from tests.counselling.helpers import book, open_every_day


@pytest.fixture
def booking(patient, clinician):
    open_every_day(clinician)
    return book(patient, clinician)


def test_attendance_is_recorded_once_the_session_has_started(booking, clinician):
    with pytest.raises(ServiceError, match="once the appointment has started"):
        services.attendance_mark(actor=clinician, booking=booking, status="attended")
    with time_machine.travel(booking.starts_at + dt.timedelta(minutes=5), tick=False):
        marked = services.attendance_mark(actor=clinician, booking=booking, status="did_not_attend")
    assert marked.status == Booking.Status.DID_NOT_ATTEND
    assert AuditEvent.objects.filter(action="counselling.attendance_marked").exists()


def test_nobody_but_a_clinician_marks_attendance(booking, patient, other_clinician):
    with (
        time_machine.travel(booking.starts_at + dt.timedelta(minutes=5), tick=False),
        pytest.raises(PermissionDenied),
    ):
        services.attendance_mark(actor=patient, booking=booking, status="attended")
    with pytest.raises(PermissionDenied):
        services.attendance_mark(actor=other_clinician, booking=booking, status="attended")


def test_notes_are_for_clinicians_only_and_every_read_is_audited(
    client, booking, clinician, patient
):
    services.session_note_add(actor=clinician, booking=booking, text="Talked about coping plans.")
    audit_text = str(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert "coping" not in audit_text
    client.force_login(clinician)
    page = client.get(reverse("counselling:booking-detail", args=[booking.pk]))
    assert b"Talked about coping plans." in page.content
    read = AuditEvent.objects.filter(action="audit.record_viewed", patient_id=patient.pk)
    assert read.filter(detail={"what": "counselling.session_notes"}).count() == 1
    client.force_login(patient)
    page = client.get(reverse("counselling:booking-detail", args=[booking.pk]))
    assert page.status_code == 200
    assert b"coping" not in page.content
    with pytest.raises(PermissionDenied):
        services.session_note_add(actor=patient, booking=booking, text="x")


def test_invitation_form_says_what_is_wrong_next_to_the_field(client, booking, patient):
    client.force_login(patient)
    response = client.post(
        reverse("counselling:invitee-add", args=[booking.pk]), {"name": "", "email": "nope"}
    )
    assert response.status_code == 200
    assert b"field__error" in response.content
    assert not booking.invitees.exists()


def test_a_supervisor_sees_nothing_unless_invited(client, booking, patient, supervisor, consent):
    client.force_login(supervisor)
    page = client.get(reverse("core:supervisor-dashboard"))
    assert b"Appointments you are invited to" not in page.content
    assert client.get(reverse("counselling:booking-detail", args=[booking.pk])).status_code == 403
    services.invitee_add(
        actor=patient, booking=booking, name=supervisor.full_name, email=supervisor.email
    )
    page = client.get(reverse("core:supervisor-dashboard"))
    assert b"Appointments you are invited to" in page.content
    assert b"Room 2" in page.content


def test_staff_manage_any_clinicians_availability(client, staff, clinician):
    client.force_login(staff)
    response = client.post(
        reverse("counselling:availability-rule-add", args=[clinician.pk]),
        {
            "weekday": "1",
            "start_time": "13:00",
            "end_time": "12:00",
            "session_minutes": "50",
            "buffer_minutes": "10",
            "location_kind": "room",
            "location": "Room 3",
        },
    )
    assert response.status_code == 200
    assert b"The end must be after the start." in response.content
    assert not clinician.availability_rules.exists()
    response = client.post(
        reverse("counselling:availability-rule-add", args=[clinician.pk]),
        {
            "weekday": "1",
            "start_time": "09:00",
            "end_time": "12:00",
            "session_minutes": "50",
            "buffer_minutes": "10",
            "location_kind": "video",
            "location": "not a link",
        },
    )
    assert b"Enter a video link starting with https://" in response.content
    assert not clinician.availability_rules.exists()


def test_the_patients_download_holds_their_appointments_but_not_the_notes(
    client, booking, patient, clinician
):
    import json

    services.invitee_add(actor=patient, booking=booking, name="Sam", email="sam@x.example")
    services.session_note_add(actor=clinician, booking=booking, text="Private working note.")
    client.force_login(patient)
    response = client.get(reverse("accounts:data-export"))
    data = json.loads(response.content)
    (appointment,) = data["counselling"]["appointments"]
    assert appointment["status"] == "booked"
    assert appointment["invited"] == [{"name": "Sam", "email": "sam@x.example"}]
    assert "Private working note." not in response.content.decode()


def test_leave_is_typed_in_the_clinicians_zone(client, staff, clinician):
    from apps.accounts.models import User

    User.objects.filter(pk=clinician.pk).update(time_zone="Europe/London")
    client.force_login(staff)
    response = client.post(
        reverse("counselling:exception-add", args=[clinician.pk]),
        {
            "exc-kind": "leave",
            "exc-starts": "2026-07-01 09:00",
            "exc-ends": "2026-07-01 17:00",
            "exc-session_minutes": "50",
            "exc-buffer_minutes": "10",
            "exc-location_kind": "room",
            "exc-location": "",
        },
    )
    assert response.status_code == 302
    leave = clinician.availability_exceptions.get()
    assert leave.starts_at == dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)  # 9:00am BST
