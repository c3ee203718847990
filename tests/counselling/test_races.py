"""Races on PostgreSQL with real threads (run with the live_worker set, which uses PostgreSQL):
many patients booking the same slot, and many waiting patients accepting the same offer."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from apps.accounts.roles import Role
from apps.clinic.models import ClinicSettings
from apps.counselling import services
from apps.counselling.models import Booking, WaitlistEntry, WaitlistOffer
from tests.conftest import make_user
from tests.counselling.helpers import first_free, open_every_day

pytestmark = pytest.mark.live_worker

RACERS = 6


def _together(work: list[Callable[[], Any]]) -> list[Any]:
    if connection.vendor != "postgresql":
        pytest.fail("Races need PostgreSQL: set DATABASE_URL=postgres://...")
    barrier = threading.Barrier(len(work))
    results: list[Any] = []

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(job())
        except Exception as exc:  # reported through the results, not lost in the thread
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _people():
    clinician = make_user("race.clinician@test.example", Role.CLINICIAN)
    patients = [
        make_user(f"race.patient{n}@test.example", Role.PATIENT, clinician=clinician)
        for n in range(RACERS)
    ]
    open_every_day(clinician)
    return clinician, patients


def _outcomes(results: list[Any]) -> tuple[list[Booking], list[Exception]]:
    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if not isinstance(r, Booking)]
    return booked, refused


def test_many_patients_booking_one_slot_end_with_exactly_one_booking(transactional_db):
    clinician, patients = _people()
    slot = first_free(clinician)

    def booker(patient):
        return lambda: services.booking_create(
            actor=patient, patient=patient, clinician=clinician, starts_at=slot.starts_at
        )

    booked, refused = _outcomes(_together([booker(p) for p in patients]))
    assert len(booked) == 1
    assert len(refused) == RACERS - 1
    assert all(isinstance(r, services.SlotTakenError) for r in refused), refused
    assert all("The next free times are" in str(r) for r in refused)
    assert Booking.objects.filter(starts_at=slot.starts_at, status="booked").count() == 1


def test_first_to_accept_a_waiting_list_offer_wins(transactional_db):
    clinician, patients = _people()
    ClinicSettings.objects.create(booking_cutoff_hours=1)
    slot = first_free(clinician, after_hours=30)
    offers = []
    for patient in patients:
        entry = services.waitlist_join(actor=patient)
        offers.append(
            WaitlistOffer.objects.create(entry=entry, clinician=clinician, starts_at=slot.starts_at)
        )

    def accepter(patient, offer):
        return lambda: services.offer_accept(actor=patient, offer=offer)

    booked, refused = _outcomes(
        _together([accepter(p, o) for p, o in zip(patients, offers, strict=True)])
    )
    assert len(booked) == 1
    assert all(isinstance(r, services.SlotTakenError) for r in refused), refused
    assert Booking.objects.filter(starts_at=slot.starts_at, status="booked").count() == 1
    winner = booked[0].patient_id
    assert WaitlistEntry.objects.get(patient_id=winner).status == WaitlistEntry.Status.DONE
    assert WaitlistEntry.objects.filter(status=WaitlistEntry.Status.WAITING).count() == RACERS - 1


def test_the_database_alone_holds_the_slot_without_the_lock(transactional_db, monkeypatch):
    """With the clinician lock switched off, the unique constraint still allows one booking."""
    clinician, patients = _people()
    slot = first_free(clinician)
    monkeypatch.setattr(services, "_lock_clinician", lambda c: c)

    def booker(patient):
        return lambda: services.booking_create(
            actor=patient, patient=patient, clinician=clinician, starts_at=slot.starts_at
        )

    booked, refused = _outcomes(_together([booker(p) for p in patients]))
    assert len(booked) == 1
    assert all(isinstance(r, services.SlotTakenError) for r in refused), refused
    assert dt.timedelta(0) < booked[0].ends_at - booked[0].starts_at
