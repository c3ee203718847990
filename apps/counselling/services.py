"""Every write about counselling appointments.

Booking is safe under concurrency twice over: the service locks the clinician's row, so bookings
with one clinician are made one at a time and the overlap check sees every committed booking;
and the database refuses a second live booking for the same clinician and start time
(`booking_one_per_slot`), whatever the code does. The loser of a race is told the slot was just
taken and shown the next free times.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.services import audit_record
from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_get
from apps.core.exceptions import ServiceError
from apps.counselling import selectors
from apps.counselling.models import (
    AvailabilityException,
    AvailabilityRule,
    Booking,
    CalendarFeed,
    CounsellingPlan,
    Invitee,
    LocationKind,
    SessionNote,
    WaitlistEntry,
    WaitlistOffer,
)
from apps.counselling.slots import Slot
from apps.counselling.words import when_text
from apps.notifications.services import notification_queue

NEXT_FREE_SHOWN = 3


class SlotTakenError(ServiceError):
    """The slot was booked by someone else a moment ago. Carries the next free slots."""

    def __init__(self, next_free: list[Slot], zone_name: str) -> None:
        from apps.counselling.slots import zone_of

        zone = zone_of(zone_name)
        times = [when_text(s.starts_at.astimezone(zone)) for s in next_free]
        message = "Sorry, that time was just taken by someone else."
        if times:
            message += " The next free times are: " + "; ".join(times) + "."
        else:
            message += (
                " There are no other free times in the next four weeks: please call the clinic."
            )
        super().__init__(message)
        self.next_free = next_free


def _cutoff_message(clinic: ClinicSettings) -> str:
    return (
        f"This appointment is less than {clinic.booking_cutoff_hours} hours away, so it can no "
        f"longer be changed online. Please call the clinic on {clinic.phone_24h}."
    )


def _check_actor_for_patient(actor: User, patient: User) -> None:
    """The patient themself, or their responsible clinician."""
    if actor.role == Role.PATIENT:
        access.ensure(actor.pk == patient.pk)
    else:
        access.ensure(access.can_manage_patient(actor, patient.pk))


def _within_cutoff(starts_at: dt.datetime, now: dt.datetime, clinic: ClinicSettings) -> bool:
    """True when the appointment is closer than the cut-off (exactly at the cut-off is allowed)."""
    return starts_at - now < dt.timedelta(hours=clinic.booking_cutoff_hours)


def _slot_for(clinician: User, starts_at: dt.datetime) -> Slot | None:
    """The free slot starting at this time, derived afresh from availability and bookings."""
    slots = selectors.free_slots(
        [clinician],
        window_start=starts_at,
        window_end=starts_at + dt.timedelta(minutes=1),
    )
    return next((s for s in slots if s.starts_at == starts_at), None)


def _next_free(clinician: User, now: dt.datetime, clinic: ClinicSettings) -> list[Slot]:
    start, end = selectors.booking_window(now=now, cutoff_hours=clinic.booking_cutoff_hours)
    return selectors.free_slots([clinician], window_start=start, window_end=end)[:NEXT_FREE_SHOWN]


def _lock_clinician(clinician: User) -> User:
    # One booking at a time per clinician: the overlap check below then sees every commit.
    return User.objects.select_for_update().get(pk=clinician.pk, role=Role.CLINICIAN)


def _notify(booking: Booking, kind: str, event: str, *, invitees: bool = True) -> None:
    ids: dict[str, int | str] = {"booking": booking.pk, "version": booking.sequence}
    notification_queue(
        recipient=booking.patient,
        kind=kind,
        event_key=f"booking:{booking.pk}:{event}",
        context_ids=ids,
    )
    if invitees:
        for invitee in booking.invitees.all():
            notification_queue(
                to_address=invitee.email,
                kind=kind,
                event_key=f"booking:{booking.pk}:{event}",
                context_ids=ids,
            )


@transaction.atomic
def booking_create(
    *,
    actor: User,
    patient: User,
    clinician: User,
    starts_at: dt.datetime,
    override_cutoff: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a free slot. Patients book for themselves with their own clinician (others if the
    clinic allows) up to the cut-off; the responsible clinician books on their behalf and may
    override the cut-off. One live booking per slot, enforced by the database."""
    now = now or timezone.now()
    clinic = clinic_settings_get()
    _check_actor_for_patient(actor, patient)
    access.ensure(patient.role == Role.PATIENT)
    if actor.role == Role.PATIENT:
        allowed = {c.pk for c in selectors.bookable_clinicians_for(patient)}
        access.ensure(clinician.pk in allowed)
    if starts_at <= now:
        raise ServiceError("Choose a time in the future.")
    if _within_cutoff(starts_at, now, clinic) and not (
        override_cutoff and actor.role == Role.CLINICIAN
    ):
        raise ServiceError(_cutoff_message(clinic))
    clinician = _lock_clinician(clinician)
    slot = _slot_for(clinician, starts_at)
    if slot is None:
        raise SlotTakenError(_next_free(clinician, now, clinic), actor.time_zone)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                patient=patient,
                clinician=clinician,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                location_kind=slot.location_kind,
                location=slot.location,
                booked_by=actor,
            )
    except IntegrityError:
        raise SlotTakenError(_next_free(clinician, now, clinic), actor.time_zone) from None
    audit_record(
        actor=actor,
        action="counselling.booked",
        target=booking,
        detail={"on_behalf": actor.pk != patient.pk, "override": override_cutoff},
    )
    _notify(booking, "appointment_confirmed", "v0", invitees=False)
    return booking


def _check_change(actor: User, booking: Booking, now: dt.datetime, override: bool) -> None:
    _check_actor_for_patient(actor, booking.patient)
    if booking.status != Booking.Status.BOOKED:
        raise ServiceError("This appointment has already been cancelled or has taken place.")
    if booking.starts_at <= now:
        raise ServiceError("This appointment has already started.")
    clinic = clinic_settings_get()
    if _within_cutoff(booking.starts_at, now, clinic) and not (
        override and actor.role == Role.CLINICIAN
    ):
        raise ServiceError(_cutoff_message(clinic))


@transaction.atomic
def booking_cancel(
    *, actor: User, booking: Booking, override_cutoff: bool = False, now: dt.datetime | None = None
) -> Booking:
    """Cancel up to the cut-off (clinicians at any time). Patient and invitees get a calendar
    cancellation with the same UID; the freed slot is offered to the waiting list."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    _check_change(actor, booking, now, override_cutoff)
    late = _within_cutoff(booking.starts_at, now, clinic_settings_get())
    booking.status = Booking.Status.CANCELLED_LATE if late else Booking.Status.CANCELLED
    booking.sequence += 1
    booking.cancelled_at = now
    booking.save(update_fields=["status", "sequence", "cancelled_at", "updated_at"])
    audit_record(actor=actor, action="counselling.cancelled", target=booking, detail={"late": late})
    _notify(booking, "appointment_cancelled", "cancel")
    _offer_freed_slot(booking.clinician, booking.starts_at, now=now, except_patient=booking.patient)
    return booking


@transaction.atomic
def booking_reschedule(
    *,
    actor: User,
    booking: Booking,
    starts_at: dt.datetime,
    override_cutoff: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """Move an appointment to another free slot of the same clinician, keeping its calendar UID
    (SEQUENCE goes up, so calendars move the entry). Same cut-off and slot rules as booking."""
    now = now or timezone.now()
    clinic = clinic_settings_get()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    _check_change(actor, booking, now, override_cutoff)
    if _within_cutoff(starts_at, now, clinic) and not (
        override_cutoff and actor.role == Role.CLINICIAN
    ):
        raise ServiceError(_cutoff_message(clinic))
    clinician = _lock_clinician(booking.clinician)
    slot = _slot_for(clinician, starts_at)
    if slot is None:
        raise SlotTakenError(_next_free(clinician, now, clinic), actor.time_zone)
    old_start = booking.starts_at
    booking.starts_at = slot.starts_at
    booking.ends_at = slot.ends_at
    booking.location_kind = slot.location_kind
    booking.location = slot.location
    booking.sequence += 1
    booking.reminder_queued_at = None
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise SlotTakenError(_next_free(clinician, now, clinic), actor.time_zone) from None
    audit_record(actor=actor, action="counselling.rescheduled", target=booking)
    _notify(booking, "appointment_changed", f"v{booking.sequence}")
    _offer_freed_slot(clinician, old_start, now=now, except_patient=booking.patient)
    return booking


@transaction.atomic
def invitee_add(*, actor: User, booking: Booking, name: str, email: str) -> Invitee:
    """The patient invites a family member or supervisor: they get the time and place by e-mail,
    and no access to the record."""
    access.ensure(actor.role == Role.PATIENT and booking.patient_id == actor.pk)
    name = name.strip()
    email = email.strip().lower()
    if not name:
        raise ServiceError("Enter the name of the person you are inviting.", field="name")
    if booking.status != Booking.Status.BOOKED or booking.starts_at <= timezone.now():
        raise ServiceError("You can only invite someone to an appointment that is still to come.")
    if Invitee.objects.filter(booking=booking, email=email).exists():
        raise ServiceError("You have already invited this person.", field="email")
    if booking.invitees.count() >= 3:
        raise ServiceError("You can invite up to three people to one appointment.")
    invitee = Invitee.objects.create(booking=booking, name=name, email=email, invited_by=actor)
    audit_record(actor=actor, action="counselling.invitee_added", target=booking)
    notification_queue(
        to_address=email,
        kind="appointment_invitation",
        event_key=f"invitee:{invitee.pk}",
        context_ids={"booking": booking.pk, "version": booking.sequence},
    )
    return invitee


ATTENDANCE = (
    Booking.Status.ATTENDED,
    Booking.Status.DID_NOT_ATTEND,
    Booking.Status.CANCELLED_LATE,
)


@transaction.atomic
def attendance_mark(
    *, actor: User, booking: Booking, status: str, now: dt.datetime | None = None
) -> Booking:
    """The clinician holding the session, or the patient's clinician, records what happened
    once it has started: attended, did not attend, or cancelled late."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    access.ensure(
        actor.role == Role.CLINICIAN
        and (
            booking.clinician_id == actor.pk or access.can_manage_patient(actor, booking.patient_id)
        )
    )
    if status not in ATTENDANCE:
        raise ServiceError("Choose what happened.", field="status")
    if booking.starts_at > now:
        raise ServiceError("You can record attendance once the appointment has started.")
    if booking.status == Booking.Status.CANCELLED:
        raise ServiceError("This appointment was cancelled.")
    booking.status = status
    booking.attendance_marked_by = actor
    booking.save(update_fields=["status", "attendance_marked_by", "updated_at"])
    audit_record(
        actor=actor,
        action="counselling.attendance_marked",
        target=booking,
        detail={"status": status},
    )
    return booking


@transaction.atomic
def session_note_add(*, actor: User, booking: Booking, text: str) -> SessionNote:
    """A clinician adds a note to a session; notes are never shown to patients or supervisors."""
    access.ensure(
        actor.role == Role.CLINICIAN
        and (
            booking.clinician_id == actor.pk or access.can_manage_patient(actor, booking.patient_id)
        )
    )
    text = text.strip()
    if not text:
        raise ServiceError("Write the note before saving it.", field="text")
    if len(text) > 10000:
        raise ServiceError("Keep the note under 10,000 characters.", field="text")
    note = SessionNote.objects.create(
        booking=booking, author=actor, text=text, created_at=timezone.now()
    )
    audit_record(
        actor=actor, action="counselling.note_added", target=note, patient=booking.patient_id
    )
    return note


@transaction.atomic
def plan_update(
    *,
    actor: User,
    patient: User,
    first_month_sessions: int | None,
    interval_days: int | None,
    months: int | None,
    outside_counsellor_name: str,
    outside_counsellor_contact: str,
) -> CounsellingPlan:
    """The responsible clinician sets another cadence for the patient (empty: the clinic's
    default) and records an outside counsellor."""
    access.ensure(access.can_manage_patient(actor, patient.pk))
    for field, value, low, high in (
        ("first_month_sessions", first_month_sessions, 1, 8),
        ("interval_days", interval_days, 7, 92),
        ("months", months, 1, 24),
    ):
        if value is not None and not low <= value <= high:
            raise ServiceError(f"Enter a number from {low} to {high}.", field=field)
    plan, _created = CounsellingPlan.objects.select_for_update().get_or_create(
        patient=patient, defaults={"updated_by": actor}
    )
    plan.first_month_sessions = first_month_sessions
    plan.interval_days = interval_days
    plan.months = months
    plan.outside_counsellor_name = outside_counsellor_name.strip()
    plan.outside_counsellor_contact = outside_counsellor_contact.strip()
    plan.updated_by = actor
    plan.save()
    audit_record(actor=actor, action="counselling.plan_changed", target=plan, patient=patient)
    return plan


# --- Availability -------------------------------------------------------------------------------


def _check_availability_actor(actor: User, clinician: User) -> None:
    """A clinician manages their own availability; staff manage any clinician's."""
    access.ensure(
        clinician.role == Role.CLINICIAN
        and (
            actor.role == Role.STAFF or (actor.role == Role.CLINICIAN and actor.pk == clinician.pk)
        )
    )


def _check_place(location_kind: str, location: str) -> None:
    if location_kind not in LocationKind.values:
        raise ServiceError("Choose where the sessions take place.", field="location_kind")
    if not location.strip():
        raise ServiceError("Enter the room, or the video link.", field="location")
    if location_kind == LocationKind.VIDEO and not location.strip().startswith("https://"):
        raise ServiceError("Enter a video link starting with https://", field="location")


def _check_lengths(session_minutes: int, buffer_minutes: int) -> None:
    if not 10 <= session_minutes <= 240:
        raise ServiceError("Sessions last from 10 to 240 minutes.", field="session_minutes")
    if not 0 <= buffer_minutes <= 120:
        raise ServiceError("The break is from 0 to 120 minutes.", field="buffer_minutes")


@transaction.atomic
def availability_rule_add(
    *,
    actor: User,
    clinician: User,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    session_minutes: int,
    buffer_minutes: int,
    location_kind: str,
    location: str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> AvailabilityRule:
    """Weekly hours, in the clinician's own time zone."""
    _check_availability_actor(actor, clinician)
    if not 0 <= weekday <= 6:
        raise ServiceError("Choose a day of the week.", field="weekday")
    if end_time <= start_time:
        raise ServiceError("The end must be after the start.", field="end_time")
    _check_lengths(session_minutes, buffer_minutes)
    _check_place(location_kind, location)
    if valid_from and valid_until and valid_until < valid_from:
        raise ServiceError("The last day must be on or after the first day.", field="valid_until")
    rule = AvailabilityRule.objects.create(
        clinician=clinician,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        session_minutes=session_minutes,
        buffer_minutes=buffer_minutes,
        location_kind=location_kind,
        location=location.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    audit_record(actor=actor, action="counselling.availability_added", target=rule)
    return rule


@transaction.atomic
def availability_rule_delete(*, actor: User, rule: AvailabilityRule) -> None:
    """Remove weekly hours. Appointments already booked stay booked."""
    _check_availability_actor(actor, rule.clinician)
    audit_record(actor=actor, action="counselling.availability_removed", target=rule)
    rule.delete()


@transaction.atomic
def availability_exception_add(
    *,
    actor: User,
    clinician: User,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    session_minutes: int = 50,
    buffer_minutes: int = 10,
    location_kind: str = LocationKind.ROOM,
    location: str = "",
) -> AvailabilityException:
    """Leave (no sessions in the window) or one-off extra hours."""
    _check_availability_actor(actor, clinician)
    if kind not in AvailabilityException.Kind.values:
        raise ServiceError("Choose leave or extra hours.", field="kind")
    if ends_at <= starts_at:
        raise ServiceError("The end must be after the start.", field="ends_at")
    if ends_at - starts_at > dt.timedelta(days=92):
        raise ServiceError("Enter at most three months at a time.", field="ends_at")
    if kind == AvailabilityException.Kind.EXTRA:
        _check_lengths(session_minutes, buffer_minutes)
        _check_place(location_kind, location)
    exc = AvailabilityException.objects.create(
        clinician=clinician,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        session_minutes=session_minutes,
        buffer_minutes=buffer_minutes,
        location_kind=location_kind,
        location=location.strip() if kind == AvailabilityException.Kind.EXTRA else "",
    )
    audit_record(
        actor=actor, action="counselling.exception_added", target=exc, detail={"kind": kind}
    )
    return exc


@transaction.atomic
def availability_exception_delete(*, actor: User, exception: AvailabilityException) -> None:
    _check_availability_actor(actor, exception.clinician)
    audit_record(actor=actor, action="counselling.exception_removed", target=exception)
    exception.delete()


# --- Waiting list -------------------------------------------------------------------------------


@transaction.atomic
def waitlist_join(*, actor: User) -> WaitlistEntry:
    """A patient asks to be offered an earlier session with their clinician when one frees up."""
    access.ensure(actor.role == Role.PATIENT)
    existing = selectors.waitlist_entry_for(actor)
    if existing is not None:
        return existing
    clinician = actor.patient_profile.responsible_clinician
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(patient=actor, clinician=clinician)
    except IntegrityError:
        return WaitlistEntry.objects.get(patient=actor, status=WaitlistEntry.Status.WAITING)
    audit_record(actor=actor, action="counselling.waitlist_joined", target=entry)
    return entry


@transaction.atomic
def waitlist_leave(*, actor: User) -> None:
    access.ensure(actor.role == Role.PATIENT)
    entry = selectors.waitlist_entry_for(actor)
    if entry is not None:
        entry.status = WaitlistEntry.Status.LEFT
        entry.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="counselling.waitlist_left", target=entry)


def _offer_freed_slot(
    clinician: User, starts_at: dt.datetime, *, now: dt.datetime, except_patient: User
) -> None:
    """Offer a freed slot to everyone waiting for this clinician whose next appointment is later
    (or who has none), if the slot is still outside the cut-off. Called inside the transaction
    that freed it."""
    clinic = clinic_settings_get()
    if _within_cutoff(starts_at, now, clinic):
        return
    entries = list(
        WaitlistEntry.objects.filter(clinician=clinician, status=WaitlistEntry.Status.WAITING)
        .exclude(patient=except_patient)
        .select_related("patient")
    )
    earlier_booked = set(
        Booking.objects.filter(
            patient_id__in=[e.patient_id for e in entries],
            status=Booking.Status.BOOKED,
            starts_at__gt=now,
            starts_at__lte=starts_at,
        ).values_list("patient_id", flat=True)
    )
    for entry in entries:
        if entry.patient_id in earlier_booked:
            continue
        offer, created = WaitlistOffer.objects.get_or_create(
            entry=entry, clinician=clinician, starts_at=starts_at
        )
        if created:
            audit_record(
                actor=None, action="counselling.offer_made", target=offer, patient=entry.patient_id
            )
            notification_queue(
                recipient=entry.patient,
                kind="appointment_offer",
                event_key=f"offer:{offer.pk}",
                context_ids={"offer": offer.pk},
            )


@transaction.atomic
def offer_accept(*, actor: User, offer: WaitlistOffer, now: dt.datetime | None = None) -> Booking:
    """First to accept wins: the booking goes through the same database rule as any other. A
    later appointment the patient held is moved into the freed slot's place (cancelled)."""
    now = now or timezone.now()
    access.ensure(actor.role == Role.PATIENT and offer.entry.patient_id == actor.pk)
    if (
        offer.status != WaitlistOffer.Status.OPEN
        or offer.entry.status != WaitlistEntry.Status.WAITING
    ):
        raise ServiceError("This offer is no longer open.")
    later = list(
        Booking.objects.filter(
            patient=actor, status=Booking.Status.BOOKED, starts_at__gt=offer.starts_at
        )
    )
    clinician = User.objects.get(pk=offer.clinician_id)
    # Raises SlotTakenError for everyone but the first (the offers of the others stop showing once
    # the slot holds a booking).
    booking = booking_create(
        actor=actor, patient=actor, clinician=clinician, starts_at=offer.starts_at, now=now
    )
    WaitlistOffer.objects.filter(pk=offer.pk).update(status=WaitlistOffer.Status.ACCEPTED)
    WaitlistOffer.objects.filter(
        clinician_id=offer.clinician_id, starts_at=offer.starts_at, status=WaitlistOffer.Status.OPEN
    ).update(status=WaitlistOffer.Status.TAKEN)
    WaitlistEntry.objects.filter(pk=offer.entry_id).update(status=WaitlistEntry.Status.DONE)
    audit_record(actor=actor, action="counselling.offer_accepted", target=booking)
    clinic = clinic_settings_get()
    for old in later:
        if not _within_cutoff(old.starts_at, now, clinic):
            booking_cancel(actor=actor, booking=old, now=now)
    return booking


# --- Calendar feed ------------------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_reset(*, actor: User) -> str:
    """A new secret address for the person's calendar feed; the old one stops working at once.
    Only the hash is stored: the address is shown once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token_hash": feed_token_hash(token)}
    )
    audit_record(actor=actor, action="counselling.feed_reset", target=actor)
    return token


def feed_user_for(token: str) -> User | None:
    """The person whose feed this secret opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=feed_token_hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed is not None else None


# --- Background work ----------------------------------------------------------------------------


@transaction.atomic
def reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the reminder of every booked appointment that is now within the reminder window.
    Once per appointment version: the row is stamped under a lock and the outbox's unique key
    (kind, booking and version) makes a second run a no-op; quiet hours are the outbox's job."""
    now = now or timezone.now()
    clinic = clinic_settings_get()
    due = list(
        Booking.objects.select_for_update(skip_locked=True)
        .filter(
            status=Booking.Status.BOOKED,
            reminder_queued_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=clinic.reminder_hours),
        )
        .select_related("patient")
    )
    for booking in due:
        notification_queue(
            recipient=booking.patient,
            kind="appointment_reminder",
            event_key=f"booking:{booking.pk}:remind:v{booking.sequence}",
            context_ids={"booking": booking.pk, "version": booking.sequence},
            now=now,
        )
        booking.reminder_queued_at = now
        booking.save(update_fields=["reminder_queued_at", "updated_at"])
    return len(due)


@transaction.atomic
def overdue_tasks_raise(*, now: dt.datetime | None = None) -> int:
    """Raise a worklist task for each patient whose next counselling session is overdue: once
    per patient and due date (the worklist's unique trigger)."""
    from apps.worklist.services import task_raise

    now = now or timezone.now()
    patients = list(User.objects.filter(role=Role.PATIENT, is_active=True))
    raised = 0
    for patient_id, info in selectors.due_for_patients(patients, now=now).items():
        if info.is_overdue and info.due_by is not None:
            patient = next(p for p in patients if p.pk == patient_id)
            _task, created = task_raise(
                patient=patient,
                kind="counselling.overdue",
                rule_code="counselling.cadence",
                trigger_key=f"due:{info.due_by.isoformat()}",
                threshold=info.due_by.isoformat(),
            )
            raised += int(created)
    return raised
