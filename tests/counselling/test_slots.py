"""Free slots are derived from weekly hours and exceptions, minus bookings: buffers, leave,
extra hours, and wall-clock times that stay put across the UK clock changes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import time_machine

from apps.accounts.models import User
from apps.counselling import selectors, services
from apps.counselling.models import AvailabilityException, LocationKind
from apps.counselling.presenters import slot_days
from tests.counselling.helpers import open_every_day

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _slots(clinician, start: dt.datetime, end: dt.datetime):
    return selectors.free_slots([clinician], window_start=start, window_end=end)


def _day(clinician, day: dt.date):
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)
    return _slots(clinician, start, start + dt.timedelta(days=1))


def test_session_length_and_buffer_set_the_grid(clinician):
    open_every_day(clinician, start=dt.time(9, 0), end=dt.time(12, 0), session=50, buffer=10)
    slots = _day(clinician, dt.date(2026, 1, 14))
    # 9:00-9:50, 10:00-10:50, 11:00-11:50: a fourth (12:00) would end after 12:00.
    assert [s.starts_at.astimezone(LONDON).time() for s in slots] == [
        dt.time(9, 0),
        dt.time(10, 0),
        dt.time(11, 0),
    ]
    assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=50) for s in slots)


def test_a_session_that_would_run_past_the_end_is_not_offered(clinician):
    open_every_day(clinician, start=dt.time(9, 0), end=dt.time(10, 40), session=50, buffer=0)
    slots = _day(clinician, dt.date(2026, 1, 14))
    assert [s.starts_at.astimezone(LONDON).time() for s in slots] == [dt.time(9, 0), dt.time(9, 50)]


def test_leave_removes_slots_and_extra_hours_add_them(clinician):
    open_every_day(clinician, start=dt.time(9, 0), end=dt.time(12, 0))
    day = dt.date(2026, 1, 14)
    services.availability_exception_add(
        actor=clinician,
        clinician=clinician,
        kind=AvailabilityException.Kind.LEAVE,
        starts_at=dt.datetime(2026, 1, 14, 9, 30, tzinfo=LONDON),
        ends_at=dt.datetime(2026, 1, 14, 10, 30, tzinfo=LONDON),
    )
    services.availability_exception_add(
        actor=clinician,
        clinician=clinician,
        kind=AvailabilityException.Kind.EXTRA,
        starts_at=dt.datetime(2026, 1, 14, 18, 0, tzinfo=LONDON),
        ends_at=dt.datetime(2026, 1, 14, 19, 30, tzinfo=LONDON),
        session_minutes=30,
        buffer_minutes=15,
        location_kind=LocationKind.VIDEO,
        location="https://video.example.org/room",
    )
    slots = _day(clinician, day)
    times = [s.starts_at.astimezone(LONDON).time() for s in slots]
    # Leave from 9:30 to 10:30 touches the 9:00 and the 10:00 sessions.
    assert times == [dt.time(11, 0), dt.time(18, 0), dt.time(18, 45)]
    assert slots[-1].location_kind == LocationKind.VIDEO


def test_rules_apply_only_between_their_first_and_last_day(clinician):
    services.availability_rule_add(
        actor=clinician,
        clinician=clinician,
        weekday=2,
        start_time=dt.time(9, 0),
        end_time=dt.time(10, 0),
        session_minutes=50,
        buffer_minutes=10,
        location_kind=LocationKind.ROOM,
        location="Room 1",
        valid_from=dt.date(2026, 1, 14),
        valid_until=dt.date(2026, 1, 21),
    )
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    slots = _slots(clinician, start, start + dt.timedelta(days=40))
    assert [s.starts_at.date() for s in slots] == [dt.date(2026, 1, 14), dt.date(2026, 1, 21)]


def test_a_booking_takes_its_slot_out_of_the_free_list(clinician, patient):
    open_every_day(clinician, start=dt.time(9, 0), end=dt.time(11, 0))
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=UTC), tick=False):
        services.booking_create(
            actor=patient,
            patient=patient,
            clinician=clinician,
            starts_at=dt.datetime(2026, 1, 14, 9, 0, tzinfo=LONDON),
        )
    times = [s.starts_at.astimezone(LONDON).time() for s in _day(clinician, dt.date(2026, 1, 14))]
    assert times == [dt.time(10, 0)]


def test_nine_am_stays_nine_am_across_both_uk_clock_changes(clinician):
    open_every_day(clinician, start=dt.time(9, 0), end=dt.time(10, 0))
    # Spring: Sunday 29 March 2026 the clocks go forward. Autumn: Sunday 25 October 2026 back.
    for day, utc_hour in (
        (dt.date(2026, 3, 28), 9),  # GMT
        (dt.date(2026, 3, 29), 8),  # BST from 01:00 UTC that morning
        (dt.date(2026, 3, 30), 8),
        (dt.date(2026, 10, 24), 8),  # BST
        (dt.date(2026, 10, 25), 9),  # GMT again
        (dt.date(2026, 10, 26), 9),
    ):
        (slot,) = _day(clinician, day)
        assert slot.starts_at.astimezone(LONDON).time() == dt.time(9, 0), day
        assert slot.starts_at.astimezone(UTC).hour == utc_hour, day


def test_a_wall_clock_time_the_clocks_skip_has_no_slot(clinician):
    open_every_day(clinician, start=dt.time(0, 30), end=dt.time(3, 0), session=30, buffer=0)
    local_times = [
        s.starts_at.astimezone(LONDON).strftime("%H:%M")
        for s in _day(clinician, dt.date(2026, 3, 29))
    ]
    # 01:00-01:59 does not exist that night; nothing is offered twice.
    assert local_times == ["00:30", "02:00", "02:30"]
    assert len(set(local_times)) == len(local_times)


def test_slots_are_in_the_clinicians_zone_and_shown_in_the_viewers(clinician, patient):
    User.objects.filter(pk=clinician.pk).update(time_zone="Europe/London")
    User.objects.filter(pk=patient.pk).update(time_zone="America/New_York")
    patient.refresh_from_db()
    open_every_day(clinician, start=dt.time(9, 0), end=dt.time(10, 0))
    slots = _day(clinician, dt.date(2026, 1, 14))
    days = slot_days(slots, viewer=patient, clinicians=[clinician])
    assert days[0]["day"] == "Wednesday 14 January"
    assert days[0]["slots"][0].time == "4:00am"  # 9:00am in London is 4:00am in New York
