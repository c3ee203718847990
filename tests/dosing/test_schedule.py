"""Schedule generation (DOMAIN.md section 3): every kind, the 150 mg cap, and both UK clock
changes. A pure function: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.dosing.schedule import doses_between, due_at_utc, mg_on, when_words

NINE = dt.time(9)
LONDON = "Europe/London"


def _doses(schedule, first, days, *, induction=False, at=NINE, zone=LONDON, start=None):
    return doses_between(
        schedule=schedule,
        induction_first=induction,
        supervision_time=at,
        time_zone=zone,
        effective_from=start or first,
        first_day=first,
        last_day=first + dt.timedelta(days=days - 1),
    )


MONDAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("daily", [50] * 7),
        ("every_2", [100, None, 100, None, 100, None, 100]),
        ("every_3", [150, None, None, 150, None, None, 150]),
        ("mwf", [100, None, 100, None, 150, None, None]),
    ],
)
def test_each_schedule_gives_its_doses(schedule, expected):
    by_day = {d.local_date: d.mg for d in _doses(schedule, MONDAY, 7)}
    assert [by_day.get(MONDAY + dt.timedelta(days=i)) for i in range(7)] == expected


@pytest.mark.parametrize("schedule", ["daily", "every_2", "every_3", "mwf"])
def test_induction_gives_25_mg_on_day_one_then_the_schedule(schedule):
    doses = _doses(schedule, MONDAY, 8, induction=True)
    assert doses[0].local_date == MONDAY
    assert doses[0].mg == 25
    assert str(doses[0].tablets) == "0.5"
    assert doses[1].local_date == MONDAY + dt.timedelta(days=1) or schedule == "mwf"
    assert all(d.mg > 25 for d in doses[1:])


def test_mwf_with_induction_on_a_monday_starts_the_schedule_on_wednesday():
    doses = _doses("mwf", MONDAY, 7, induction=True)
    assert [(d.local_date.weekday(), d.mg) for d in doses] == [(0, 25), (2, 100), (4, 150)]


@pytest.mark.parametrize("schedule", ["daily", "every_2", "every_3", "mwf"])
def test_no_day_ever_exceeds_150_mg_over_a_year(schedule):
    doses = _doses(schedule, MONDAY, 366, induction=True)
    days = [d.local_date for d in doses]
    assert len(days) == len(set(days))  # one dose a day at most
    assert max(d.mg for d in doses) <= 150


def test_every_2_and_every_3_keep_their_rhythm_from_the_version_start():
    start = dt.date(2026, 6, 3)
    later = _doses("every_3", dt.date(2026, 6, 10), 5, start=start)
    assert [d.local_date for d in later] == [dt.date(2026, 6, 12)]
    # Days before the version starts have no doses.
    assert _doses("daily", dt.date(2026, 6, 1), 3, start=start) == _doses("daily", start, 1)


def test_nine_am_stays_nine_am_across_the_spring_clock_change():
    # UK clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    doses = _doses("daily", dt.date(2026, 3, 28), 3)
    assert [d.due_at for d in doses] == [
        dt.datetime(2026, 3, 28, 9, tzinfo=dt.UTC),  # GMT
        dt.datetime(2026, 3, 29, 8, tzinfo=dt.UTC),  # BST
        dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC),
    ]
    assert [when_words(d.due_at, LONDON) for d in doses] == [
        "Saturday 9:00am",
        "Sunday 9:00am",
        "Monday 9:00am",
    ]


def test_nine_am_stays_nine_am_across_the_autumn_clock_change():
    # UK clocks go back at 01:00 UTC on Sunday 25 October 2026.
    doses = _doses("daily", dt.date(2026, 10, 24), 3)
    assert [d.due_at for d in doses] == [
        dt.datetime(2026, 10, 24, 8, tzinfo=dt.UTC),  # BST
        dt.datetime(2026, 10, 25, 9, tzinfo=dt.UTC),  # GMT
        dt.datetime(2026, 10, 26, 9, tzinfo=dt.UTC),
    ]
    assert {when_words(d.due_at, LONDON) for d in doses} == {
        "Saturday 9:00am",
        "Sunday 9:00am",
        "Monday 9:00am",
    }


def test_a_time_skipped_or_repeated_by_the_clock_change_still_gives_one_dose():
    spring = due_at_utc(dt.date(2026, 3, 29), dt.time(1, 30), LONDON)
    autumn = due_at_utc(dt.date(2026, 10, 25), dt.time(1, 30), LONDON)
    assert spring == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
    assert autumn == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # the first 1:30am (BST)


def test_a_day_before_the_version_is_not_a_dosing_day():
    assert mg_on(MONDAY, schedule="daily", effective_from=MONDAY, induction_first=False) == 50
    before = MONDAY - dt.timedelta(days=1)
    assert mg_on(before, schedule="daily", effective_from=MONDAY, induction_first=False) is None
