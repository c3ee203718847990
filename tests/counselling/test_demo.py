"""The demo clinic's appointments: free times for four weeks, patient@ with two past sessions
attended and one coming up, patient2@ due to book."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.counselling import selectors
from apps.counselling.models import Booking


def test_demo_appointments(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run on a real site
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    clinician = User.objects.get(email="clinician@example.org")
    patient = User.objects.get(email="patient@example.org")
    patient2 = User.objects.get(email="patient2@example.org")
    now = timezone.now()
    slots = selectors.free_slots(
        [clinician], window_start=now, window_end=now + dt.timedelta(days=28)
    )
    assert len({s.starts_at.isocalendar()[1] for s in slots}) >= 4  # every coming week
    statuses = sorted(Booking.objects.filter(patient=patient).values_list("status", flat=True))
    assert statuses == ["attended", "attended", "booked"]
    assert not Booking.objects.filter(patient=patient2).exists()
    due = selectors.due_for(patient2)
    assert due is not None
    assert due.due_by is not None
