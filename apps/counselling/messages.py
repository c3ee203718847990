"""Context and attachment builders named in apps/notifications/kinds.py: at send time they load
the appointment from the ids in the notification and say its time in the recipient's zone.

A message about an old version of an appointment (moved or cancelled since it was queued) is no
longer needed: the builder returns None and the outbox drops it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.clinic.selectors import clinic_settings_get
from apps.counselling.calendar import booking_ics
from apps.counselling.models import Booking, LocationKind, WaitlistOffer
from apps.counselling.slots import zone_of
from apps.counselling.words import when_text
from apps.notifications.kinds import InboxWords
from apps.notifications.models import Notification

CANCELLED = (Booking.Status.CANCELLED, Booking.Status.CANCELLED_LATE)


def _zone_name(notification: Notification) -> str:
    if notification.recipient is not None:
        return str(notification.recipient.time_zone)
    return str(settings.TIME_ZONE)


def _booking(notification: Notification) -> Booking | None:
    booking = (
        Booking.objects.filter(pk=notification.context_ids.get("booking"))
        .select_related("patient")
        .first()
    )
    if booking is None:
        return None
    if notification.kind == "appointment_cancelled":
        return booking if booking.status in CANCELLED else None
    # Confirmations, changes, reminders and invitations are about one version of the booking.
    version = notification.context_ids.get("version")
    if booking.status != Booking.Status.BOOKED:
        return None
    if version is not None and int(version) != booking.sequence:
        return None
    return booking


def booking_context(notification: Notification) -> dict[str, Any] | None:
    booking = _booking(notification)
    if booking is None:
        return None
    zone_name = _zone_name(notification)
    local = booking.starts_at.astimezone(zone_of(zone_name))
    context: dict[str, Any] = {
        "when": when_text(local),
        "zone": zone_name.replace("_", " "),
        "is_video": booking.location_kind == LocationKind.VIDEO,
        "place": booking.location,
        "is_invitee": notification.recipient is None,
        "minutes": int((booking.ends_at - booking.starts_at).total_seconds() // 60),
    }
    if notification.recipient is None:
        # Someone without an account: no sign-in link, just the time and place and who asked.
        context["link"] = ""
        context["inviter_name"] = booking.patient.display_name
    return context


def booking_attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    booking = _booking(notification)
    if booking is None:
        return []
    method = "CANCEL" if booking.status in CANCELLED else "PUBLISH"
    content = booking_ics(
        booking, clinic_name=clinic_settings_get().name, zone_name=_zone_name(notification)
    )
    return [("appointment.ics", content, f"text/calendar; charset=utf-8; method={method}")]


def offer_context(notification: Notification) -> dict[str, Any] | None:
    offer = (
        WaitlistOffer.objects.filter(
            pk=notification.context_ids.get("offer"), status=WaitlistOffer.Status.OPEN
        )
        .select_related("entry")
        .first()
    )
    if offer is None:
        return None
    local = offer.starts_at.astimezone(zone_of(_zone_name(notification)))
    return {"when": when_text(local)}


# Inbox words (in the portal only): the appointment's time, in the reader's zone.
_INBOX_SENTENCES = {
    "appointment_confirmed": "Your appointment on {when} is booked.",
    "appointment_changed": "Your appointment has moved to {when}.",
    "appointment_cancelled": "Your appointment on {when} is cancelled.",
    "appointment_reminder": "Reminder: your appointment is on {when}.",
}


def booking_inbox(notifications: list[Notification], viewer: User) -> dict[int, InboxWords]:
    """'Your appointment on Thursday 3 December, 9:00am is booked.' (one query; the viewer's
    own appointments only)."""
    ids = {n.context_ids.get("booking") for n in notifications} - {None}
    own = Booking.objects.filter(pk__in=ids, patient__in=access.patients_visible_to(viewer))
    starts = dict(own.values_list("pk", "starts_at"))
    found: dict[int, InboxWords] = {}
    for n in notifications:
        booking_id = n.context_ids.get("booking", 0)
        sentence = _INBOX_SENTENCES.get(n.kind)
        if booking_id not in starts or sentence is None:
            continue
        when = when_text(timezone.localtime(starts[booking_id]))
        url = (
            reverse("counselling:session-list")
            if n.kind == "appointment_cancelled"
            else reverse("counselling:booking-detail", args=[booking_id])
        )
        found[n.pk] = InboxWords(text=sentence.format(when=when), url=url)
    return found
