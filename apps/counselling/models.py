"""Counselling appointments (DOMAIN.md section 5).

- `AvailabilityRule`: a clinician's weekly recurring hours (wall-clock times in the clinician's
  zone), with the session length, the buffer between sessions and where they take place.
- `AvailabilityException`: leave (no sessions in a window) or one-off extra hours (UTC).
- Free slots are derived from those rows minus bookings (`slots.py`); they are never stored.
- `Booking`: one appointment. A partial unique constraint means a clinician's start time can
  hold one live booking only, whatever the application code does.
- `Invitee`: a family member or supervisor the patient invited (name and e-mail; they are told
  the time and place only).
- `SessionNote`: clinician-only notes; every read by a clinician is audited.
- `CounsellingPlan`: the patient's cadence (the clinic's default unless the clinician changes it)
  and an outside counsellor, if they have one.
- `WaitlistEntry` and `WaitlistOffer`: earlier sessions offered when a slot frees up; accepting
  makes a booking through the same constraint, so the first to accept wins.
- `CalendarFeed`: the secret of a person's private calendar feed, stored only as a hash.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

USER = settings.AUTH_USER_MODEL


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class LocationKind(models.TextChoices):
    ROOM = "room", _("In a clinic room")
    VIDEO = "video", _("By video call")


class AvailabilityRule(BaseModel):
    clinician = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="availability_rules")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    # Wall-clock times in the clinician's own time zone: 9:00am stays 9:00am across clock changes.
    start_time = models.TimeField()
    end_time = models.TimeField()
    session_minutes = models.PositiveSmallIntegerField(default=50)
    buffer_minutes = models.PositiveSmallIntegerField(default=10)
    location_kind = models.CharField(
        max_length=10, choices=LocationKind.choices, default=LocationKind.ROOM
    )
    # A room name, or the video link.
    location = models.CharField(max_length=200)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("weekday", "start_time", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="availability_rule_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(session_minutes__gte=10) & Q(session_minutes__lte=240),
                name="availability_rule_session_length",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="availability_rule_weekday"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="availability_rule_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Availability rule #{self.pk}"


class AvailabilityException(BaseModel):
    class Kind(models.TextChoices):
        LEAVE = "leave", _("Not available (leave)")
        EXTRA = "extra", _("Extra hours")

    clinician = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    session_minutes = models.PositiveSmallIntegerField(default=50)
    buffer_minutes = models.PositiveSmallIntegerField(default=10)
    location_kind = models.CharField(
        max_length=10, choices=LocationKind.choices, default=LocationKind.ROOM
    )
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="availability_exception_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["leave", "extra"]), name="availability_exception_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind="leave") | ~Q(location=""),
                name="availability_exception_extra_has_place",
            ),
        ]

    def __str__(self) -> str:
        return f"Availability exception #{self.pk}"


ACTIVE_STATUSES = ("booked",)


class Booking(BaseModel):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
        CANCELLED_LATE = "cancelled_late", _("Cancelled late")

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="counselling_bookings")
    clinician = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="counselling_sessions"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location_kind = models.CharField(max_length=10, choices=LocationKind.choices)
    location = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # Calendar identity: one UID for the life of the appointment; SEQUENCE grows on each change,
    # so calendar programs replace the old entry (and a cancellation removes it).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the reminder is queued (the outbox's unique key also makes it once per version).
    reminder_queued_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("starts_at", "pk")
        constraints = [
            # A slot can never hold two bookings: one live booking per clinician and start time.
            models.UniqueConstraint(
                fields=("clinician", "starts_at"),
                condition=Q(status="booked"),
                name="booking_one_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "booked",
                        "cancelled",
                        "attended",
                        "did_not_attend",
                        "cancelled_late",
                    ]
                ),
                name="booking_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(patient=F("clinician")), name="booking_patient_is_not_clinician"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="booking_cancelled_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=("patient", "starts_at"), name="booking_patient_start"),
            models.Index(fields=("clinician", "starts_at"), name="booking_clinician_start"),
        ]

    def __str__(self) -> str:
        return f"Booking #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED


class Invitee(BaseModel):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    invited_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=("booking", "email"), name="invitee_once_per_booking"),
        ]

    def __str__(self) -> str:
        return f"Invitee #{self.pk}"


class SessionNote(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Session note #{self.pk}"


class CounsellingPlan(BaseModel):
    patient = models.OneToOneField(
        USER, on_delete=models.PROTECT, primary_key=True, related_name="counselling_plan"
    )
    # Empty: the clinic's default cadence (ClinicSettings).
    first_month_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    outside_counsellor_name = models.CharField(max_length=150, blank=True)
    outside_counsellor_contact = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(first_month_sessions__isnull=True)
                | (Q(first_month_sessions__gte=1) & Q(first_month_sessions__lte=8)),
                name="plan_first_month_sessions_range",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__isnull=True)
                | (Q(interval_days__gte=7) & Q(interval_days__lte=92)),
                name="plan_interval_days_range",
            ),
            models.CheckConstraint(
                condition=Q(months__isnull=True) | (Q(months__gte=1) & Q(months__lte=24)),
                name="plan_months_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Counselling plan #{self.pk}"


class WaitlistEntry(BaseModel):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        DONE = "done", _("Booked an earlier session")
        LEFT = "left", _("Left the waiting list")

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="waitlist_entries")
    clinician = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("patient",), condition=Q(status="waiting"), name="waitlist_one_per_patient"
            ),
        ]

    def __str__(self) -> str:
        return f"Waiting-list entry #{self.pk}"


class WaitlistOffer(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        TAKEN = "taken", _("Taken by someone else")

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    clinician = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ("starts_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("entry", "clinician", "starts_at"), name="offer_once_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"Waiting-list offer #{self.pk}"


class CalendarFeed(BaseModel):
    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, primary_key=True, related_name="calendar_feed"
    )
    # SHA-256 of the secret in the feed's address; the secret itself is shown once and never kept.
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Calendar feed of user #{self.pk}"
