"""Reads about counselling appointments, filtered by access.py: a patient sees their own, a
clinician the appointments they hold or their caseload's, staff the availability of any
clinician; anything else is not found (404)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.services import audit_read
from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_cached, clinic_settings_get
from apps.counselling.cadence import Cadence, next_due
from apps.counselling.models import (
    AvailabilityException,
    AvailabilityRule,
    Booking,
    CounsellingPlan,
    SessionNote,
    WaitlistEntry,
    WaitlistOffer,
)
from apps.counselling.slots import Slot, derive_slots, zone_of
from apps.dosing.selectors import treatment_starts_for
from apps.intake.models import IntakeDecision

# How far ahead patients can see and book.
BOOKING_HORIZON_DAYS = 28
COUNTED = (Booking.Status.BOOKED, Booking.Status.ATTENDED)


# --- Cadence ------------------------------------------------------------------------------------


def cadence_start_for(patient: User) -> dt.date | None:
    """The day treatment started, from which the counselling cadence counts.

    The first day of the patient's newest treatment plan (apps/dosing). A patient found eligible
    whose plan has not started yet counts from the local date of their latest "eligible" intake
    decision, so the first sessions can be booked before the first dose. Keep this the only
    lookup."""
    starts = cadence_starts_for([patient])
    return starts.get(patient.pk)


def cadence_starts_for(patients: list[User]) -> dict[int, dt.date]:
    """Patient id -> cadence start date, for many patients in two queries (see above)."""
    zones = {p.pk: zone_of(p.time_zone) for p in patients}
    starts: dict[int, dt.date] = treatment_starts_for(patient_ids=list(zones))
    rows = (
        IntakeDecision.objects.filter(
            patient_id__in=list(zones), outcome=IntakeDecision.Outcome.ELIGIBLE
        )
        .order_by("patient_id", "-decided_at")
        .values_list("patient_id", "decided_at")
    )
    for patient_id, decided_at in rows:
        starts.setdefault(patient_id, decided_at.astimezone(zones[patient_id]).date())
    return starts


def cadence_for(plan: CounsellingPlan | None, clinic: ClinicSettings) -> Cadence:
    """The patient's cadence: the clinician's choice where set, else the clinic's default."""
    return Cadence(
        first_month_sessions=(plan and plan.first_month_sessions)
        or clinic.cadence_first_month_sessions,
        interval_days=(plan and plan.interval_days) or clinic.cadence_interval_days,
        months=(plan and plan.months) or clinic.cadence_months,
    )


@dataclass(frozen=True)
class DueInfo:
    start: dt.date
    due_by: dt.date | None
    is_overdue: bool


def due_for_patients(patients: list[User], *, now: dt.datetime | None = None) -> dict[int, DueInfo]:
    """Patient id -> when their next session is due (four queries, however many patients)."""
    now = now or timezone.now()
    starts = cadence_starts_for(patients)
    if not starts:
        return {}
    # Shown on pages and dashboards: the kept settings row will do.
    clinic = clinic_settings_cached()
    plans = {p.pk: p for p in CounsellingPlan.objects.filter(patient_id__in=list(starts))}
    zones = {p.pk: zone_of(p.time_zone) for p in patients}
    sessions: dict[int, list[dt.date]] = defaultdict(list)
    for patient_id, starts_at in Booking.objects.filter(
        patient_id__in=list(starts), status__in=COUNTED
    ).values_list("patient_id", "starts_at"):
        sessions[patient_id].append(starts_at.astimezone(zones[patient_id]).date())
    found = {}
    for patient_id, start in starts.items():
        due = next_due(
            start=start,
            sessions=sessions[patient_id],
            cadence=cadence_for(plans.get(patient_id), clinic),
        )
        today = now.astimezone(zones[patient_id]).date()
        found[patient_id] = DueInfo(
            start=start, due_by=due, is_overdue=due is not None and due < today
        )
    return found


def due_for(patient: User, *, now: dt.datetime | None = None) -> DueInfo | None:
    return due_for_patients([patient], now=now).get(patient.pk)


def plan_for(patient: User) -> CounsellingPlan | None:
    return CounsellingPlan.objects.filter(patient=patient).first()


def overdue_patients_for(
    *, user: User, now: dt.datetime | None = None
) -> list[tuple[User, DueInfo]]:
    """The clinician's caseload patients whose next session is overdue (five queries)."""
    access.ensure(user.role == Role.CLINICIAN)
    patients = list(access.patients_visible_to(user).order_by("full_name", "pk"))
    due = due_for_patients(patients, now=now)
    return [(p, due[p.pk]) for p in patients if p.pk in due and due[p.pk].is_overdue]


# --- Slots --------------------------------------------------------------------------------------


def bookable_clinicians_for(patient: User) -> list[User]:
    """The patient's own clinician, and the others when the clinic allows it."""
    clinic = clinic_settings_get()
    own = Q(caseload__user_id=patient.pk)
    wanted = own if not clinic.allow_booking_other_clinicians else Q(role=Role.CLINICIAN)
    return list(
        User.objects.filter(wanted, role=Role.CLINICIAN, is_active=True)
        .distinct()
        .order_by("full_name", "pk")
    )


def free_slots(
    clinicians: list[User], *, window_start: dt.datetime, window_end: dt.datetime
) -> list[Slot]:
    """Free slots of these clinicians in the window, earliest first (three queries)."""
    ids = [c.pk for c in clinicians]
    rules: dict[int, list[AvailabilityRule]] = defaultdict(list)
    for rule in AvailabilityRule.objects.filter(clinician_id__in=ids):
        rules[rule.clinician_id].append(rule)
    exceptions: dict[int, list[AvailabilityException]] = defaultdict(list)
    for exc in AvailabilityException.objects.filter(
        clinician_id__in=ids, ends_at__gt=window_start, starts_at__lt=window_end
    ):
        exceptions[exc.clinician_id].append(exc)
    bookings: dict[int, list[Booking]] = defaultdict(list)
    for booking in Booking.objects.filter(
        clinician_id__in=ids,
        status=Booking.Status.BOOKED,
        ends_at__gt=window_start,
        starts_at__lt=window_end + dt.timedelta(days=1),
    ).only("clinician_id", "starts_at", "ends_at", "status"):
        bookings[booking.clinician_id].append(booking)
    slots: list[Slot] = []
    for clinician in clinicians:
        slots += derive_slots(
            clinician_id=clinician.pk,
            zone_name=clinician.time_zone,
            rules=rules[clinician.pk],
            exceptions=exceptions[clinician.pk],
            bookings=bookings[clinician.pk],
            window_start=window_start,
            window_end=window_end,
        )
    return sorted(slots)


def booking_window(*, now: dt.datetime, cutoff_hours: int) -> tuple[dt.datetime, dt.datetime]:
    """From the cut-off (patients cannot book closer than that) to the booking horizon."""
    return now + dt.timedelta(hours=cutoff_hours), now + dt.timedelta(days=BOOKING_HORIZON_DAYS)


# --- Bookings -----------------------------------------------------------------------------------


def _visible_bookings(user: User) -> QuerySet[Booking]:
    # A deactivated patient's appointments are nobody's (access.py: a deactivated patient
    # disappears everywhere).
    qs = Booking.objects.select_related("patient", "clinician").filter(patient__is_active=True)
    if user.role == Role.PATIENT:
        return qs.filter(patient=user)
    if user.role == Role.CLINICIAN:
        return qs.filter(
            Q(clinician=user) | Q(patient__patient_profile__responsible_clinician=user)
        )
    return qs.none()


def booking_get_for(*, user: User, pk: int) -> Booking:
    """The patient's own appointment, or one a clinician holds or whose patient they look after;
    anyone else's is not found."""
    booking = _visible_bookings(user).filter(pk=pk).first()
    if booking is None:
        raise Http404
    return booking


def booking_list_for(*, user: User) -> QuerySet[Booking]:
    """The appointments this user may see (a patient's own; a clinician's own sessions and their
    caseload's), soonest last: newest start first."""
    access.ensure(user.role in (Role.PATIENT, Role.CLINICIAN))
    return _visible_bookings(user).order_by("-starts_at", "-pk")


def slot_clinicians_for(user: User) -> list[User]:
    """Whose free slots this user is shown: a patient, the clinicians they may book with; a
    clinician, their own."""
    access.ensure(user.role in (Role.PATIENT, Role.CLINICIAN))
    if user.role == Role.PATIENT:
        return bookable_clinicians_for(user)
    return [user]


def bookings_of_patient(patient: User) -> QuerySet[Booking]:
    """A patient's appointments, newest first, with their invitees."""
    return (
        Booking.objects.filter(patient=patient)
        .select_related("clinician")
        .prefetch_related("invitees")
        .order_by("-starts_at", "-pk")
    )


def sessions_on_day_for(*, user: User, now: dt.datetime | None = None) -> list[Booking]:
    """The clinician's appointments today (their own zone), earliest first."""
    access.ensure(user.role == Role.CLINICIAN)
    now = now or timezone.now()
    zone = zone_of(user.time_zone)
    today = now.astimezone(zone).date()
    start = dt.datetime.combine(today, dt.time(0, 0), tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
    return list(
        Booking.objects.filter(clinician=user, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("patient")
        .order_by("starts_at", "pk")
    )


def notes_for(*, user: User, booking: Booking) -> list[SessionNote]:
    """Clinician-only session notes. Every read is audited (the patient sees it in "who has seen
    my record")."""
    access.ensure(user.role == Role.CLINICIAN)
    notes = list(booking.notes.select_related("author"))
    audit_read(actor=user, patient_id=booking.patient_id, what="counselling.session_notes")
    return notes


def invited_sessions_for(*, user: User, now: dt.datetime | None = None) -> list[Booking]:
    """Upcoming appointments this person was invited to by e-mail (time and place only)."""
    now = now or timezone.now()
    return list(
        Booking.objects.filter(
            invitees__email__iexact=user.email, status=Booking.Status.BOOKED, starts_at__gte=now
        )
        .only("pk", "starts_at", "ends_at", "location", "location_kind", "uid", "sequence")
        .order_by("starts_at")
    )


def feed_bookings_for(user: User) -> list[Booking]:
    """The appointments in a person's private calendar feed (from 30 days ago)."""
    since = timezone.now() - dt.timedelta(days=30)
    if user.role == Role.PATIENT:
        qs = Booking.objects.filter(patient=user)
    elif user.role == Role.CLINICIAN:
        qs = Booking.objects.filter(clinician=user)
    else:
        qs = Booking.objects.filter(invitees__email__iexact=user.email)
    return list(qs.filter(starts_at__gte=since).order_by("starts_at", "pk"))


# --- Availability -------------------------------------------------------------------------------


def availability_clinician_get_for(*, user: User, clinician_id: int) -> User:
    """A clinician manages their own availability; staff manage anyone's. Else not found."""
    access.ensure(user.role in (Role.CLINICIAN, Role.STAFF))
    if user.role == Role.CLINICIAN and user.pk != clinician_id:
        raise Http404
    found = User.objects.filter(pk=clinician_id, role=Role.CLINICIAN, is_active=True).first()
    if found is None:
        raise Http404
    return found


def clinicians_for_staff() -> list[User]:
    return list(User.objects.filter(role=Role.CLINICIAN, is_active=True).order_by("full_name"))


# --- Waiting list -------------------------------------------------------------------------------


def waitlist_entry_for(patient: User) -> WaitlistEntry | None:
    return WaitlistEntry.objects.filter(
        patient=patient, status=WaitlistEntry.Status.WAITING
    ).first()


def open_offers_for(patient: User, *, now: dt.datetime | None = None) -> list[WaitlistOffer]:
    now = now or timezone.now()
    return list(
        WaitlistOffer.objects.filter(
            entry__patient=patient,
            entry__status=WaitlistEntry.Status.WAITING,
            status=WaitlistOffer.Status.OPEN,
            starts_at__gt=now,
        )
        # An offer whose slot someone else accepted first is no longer shown.
        .exclude(
            Exists(
                Booking.objects.filter(
                    clinician_id=OuterRef("clinician_id"),
                    starts_at=OuterRef("starts_at"),
                    status=Booking.Status.BOOKED,
                )
            )
        )
        .order_by("starts_at")
    )


def offer_get_for(*, user: User, pk: int) -> WaitlistOffer:
    """The patient's own offer, or 404."""
    offer = WaitlistOffer.objects.filter(pk=pk, entry__patient=user).select_related("entry").first()
    if offer is None:
        raise Http404
    return offer


def counselling_export(*, patient: User) -> dict[str, object]:
    """The patient's appointments and plan for their own download (UK GDPR right of access).
    Session notes are left out: they are clinicians' working notes (a request for them goes to
    the clinic, which applies the serious-harm test before disclosing)."""
    plan = plan_for(patient)
    return {
        "appointments": [
            {
                "starts_at": b.starts_at,
                "ends_at": b.ends_at,
                "status": b.status,
                "where": b.location,
                "invited": [{"name": i.name, "email": i.email} for i in b.invitees.all()],
            }
            for b in bookings_of_patient(patient)
        ],
        "waiting_list": [
            dict(row)
            for row in WaitlistEntry.objects.filter(patient=patient)
            .order_by("created_at", "pk")
            .values("status", "created_at")
        ],
        "plan": {
            "first_month_sessions": plan.first_month_sessions,
            "interval_days": plan.interval_days,
            "months": plan.months,
            "outside_counsellor_name": plan.outside_counsellor_name,
            "outside_counsellor_contact": plan.outside_counsellor_contact,
        }
        if plan
        else None,
    }
