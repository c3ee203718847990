"""The slot search for a clinician's next four weeks stays quick with a full diary: under 50 ms
(the best of five runs, so a busy machine's pauses do not count), and three queries whatever
the number of bookings, leave and extra hours."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.roles import Role
from apps.counselling import selectors
from apps.counselling.models import AvailabilityException, Booking, LocationKind
from apps.counselling.slots import Slot
from tests.conftest import make_user
from tests.counselling.helpers import open_every_day

LONDON = zoneinfo.ZoneInfo("Europe/London")
START = dt.datetime(2026, 3, 2, 0, 0, tzinfo=LONDON)  # four weeks across the spring clock change
END = START + dt.timedelta(days=28)


def _fill_diary(clinician, patient, *, every: int) -> None:
    """Book every `every`-th slot of the four weeks (plus a cancelled booking beside each), a
    day of leave each week and an evening of extra hours each week."""
    slots = selectors.free_slots([clinician], window_start=START, window_end=END)
    rows = []
    for n, slot in enumerate(slots[::every]):
        common = {
            "patient": patient,
            "clinician": clinician,
            "ends_at": slot.ends_at,
            "location_kind": LocationKind.ROOM,
            "location": "Room 2",
            "booked_by": clinician,
        }
        rows.append(Booking(starts_at=slot.starts_at, status=Booking.Status.BOOKED, **common))
        rows.append(
            Booking(
                starts_at=slot.starts_at - dt.timedelta(days=n % 3 + 1),
                status=Booking.Status.CANCELLED,
                cancelled_at=START,
                **common,
            )
        )
    Booking.objects.bulk_create(rows, ignore_conflicts=True)
    for week in range(4):
        monday = START + dt.timedelta(weeks=week)
        AvailabilityException.objects.create(
            clinician=clinician,
            kind=AvailabilityException.Kind.LEAVE,
            starts_at=monday + dt.timedelta(days=2),
            ends_at=monday + dt.timedelta(days=3),
        )
        AvailabilityException.objects.create(
            clinician=clinician,
            kind=AvailabilityException.Kind.EXTRA,
            starts_at=monday + dt.timedelta(days=1, hours=18),
            ends_at=monday + dt.timedelta(days=1, hours=21),
            location_kind=LocationKind.VIDEO,
            location="https://video.example.org/room",
        )


def _search(clinician) -> tuple[list[Slot], int, float]:
    best = float("inf")
    slots: list[Slot] = []
    queries = 0
    for _ in range(5):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            slots = selectors.free_slots([clinician], window_start=START, window_end=END)
            best = min(best, time.perf_counter() - started)
        queries = len(ctx.captured_queries)
    return slots, queries, best


def test_a_full_four_week_diary_is_searched_in_under_50_ms_with_three_queries(clinician):
    # Open 8:00am to 8:00pm every day: 12 slots a day, 336 in four weeks.
    open_every_day(clinician, start=dt.time(8, 0), end=dt.time(20, 0))
    patient = make_user("diary@test.example", Role.PATIENT, clinician=clinician)

    _fill_diary(clinician, patient, every=20)
    few_slots, few_queries, _ = _search(clinician)
    _fill_diary(clinician, patient, every=2)
    slots, queries, best = _search(clinician)

    assert Booking.objects.filter(clinician=clinician, status="booked").count() > 150
    assert few_queries == queries == 3  # rules, exceptions, bookings
    assert 100 < len(slots) < len(few_slots)  # the bookings were taken out
    booked = set(
        Booking.objects.filter(clinician=clinician, status="booked").values_list(
            "starts_at", flat=True
        )
    )
    assert not booked & {s.starts_at for s in slots}
    assert best < 0.050, f"slot search took {best * 1000:.1f} ms"
