"""Adds counselling objects to the world: the clinician's weekly hours and leave, a booking of
`patient`, a waiting-list offer for `patient`, and `patient`'s calendar feed secret."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from apps.counselling import services
from apps.counselling.models import AvailabilityException, WaitlistOffer
from tests.counselling.helpers import book, first_free, open_every_day


def build(world: Any) -> None:
    patient = world.personas["patient"]
    clinician = world.personas["clinician"]
    rules = open_every_day(clinician)
    leave = services.availability_exception_add(
        actor=clinician,
        clinician=clinician,
        kind=AvailabilityException.Kind.LEAVE,
        starts_at=timezone.now() + dt.timedelta(days=60),
        ends_at=timezone.now() + dt.timedelta(days=61),
    )
    booking = book(patient, clinician)
    entry = services.waitlist_join(actor=patient)
    offer = WaitlistOffer.objects.create(
        entry=entry, clinician=clinician, starts_at=first_free(clinician, after_hours=26).starts_at
    )
    world.objects.update(booking=booking, offer=offer, rule=rules[0], exception=leave)
    world.url_kwargs.update(
        booking_id=booking.pk,
        offer_id=offer.pk,
        rule_id=rules[0].pk,
        exception_id=leave.pk,
        clinician_id=clinician.pk,
        feed_token=services.feed_reset(actor=patient),
    )
