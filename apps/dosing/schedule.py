"""Schedule generation: a pure function from a plan version to the doses it asks for on a range
of days (DOMAIN.md section 3). No database, no clock.

Each dose is due at the supervision time on its day *in the patient's time zone*, turned into
UTC with that day's offset, so a 9:00am dose stays at 9:00am on both sides of the UK clock
changes (08:00 UTC in summer, 09:00 UTC in winter). A supervision time that does not exist on
the spring-forward night (1:00-1:59am in the UK) is read with the offset before the change;
one that happens twice on the autumn night is the first of the two.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from apps.core.timefmt import clock
from apps.dosing.models import INDUCTION_MG, MAX_MG_PER_DAY, TABLET_MG, Schedule

MONDAY, WEDNESDAY, FRIDAY = 0, 2, 4

# The milligrams each schedule gives on a dosing day.
SCHEDULE_MG: dict[str, int] = {
    Schedule.DAILY: 50,
    Schedule.EVERY_2: 100,
    Schedule.EVERY_3: 150,
}
MWF_MG = {MONDAY: 100, WEDNESDAY: 100, FRIDAY: 150}
INTERVAL_DAYS: dict[str, int] = {Schedule.DAILY: 1, Schedule.EVERY_2: 2, Schedule.EVERY_3: 3}


@dataclass(frozen=True)
class PlannedDose:
    local_date: dt.date
    due_at: dt.datetime  # UTC
    mg: int

    @property
    def tablets(self) -> Decimal:
        return Decimal(self.mg) / TABLET_MG


def due_at_utc(day: dt.date, at: dt.time, zone: str) -> dt.datetime:
    """The UTC moment of a local wall-clock time on a local day."""
    local = dt.datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def mg_on(
    day: dt.date, *, schedule: str, effective_from: dt.date, induction_first: bool
) -> int | None:
    """The milligrams due on `day`, or None when it is not a dosing day. With induction, the
    first day is 25 mg (half a tablet) and the chosen schedule starts the next day."""
    if day < effective_from:
        return None
    if induction_first and day == effective_from:
        return INDUCTION_MG
    start = effective_from + dt.timedelta(days=1) if induction_first else effective_from
    if schedule == Schedule.MWF:
        return MWF_MG.get(day.weekday())
    interval = INTERVAL_DAYS[schedule]
    return SCHEDULE_MG[schedule] if (day - start).days % interval == 0 else None


def doses_between(
    *,
    schedule: str,
    induction_first: bool,
    supervision_time: dt.time,
    time_zone: str,
    effective_from: dt.date,
    first_day: dt.date,
    last_day: dt.date,
) -> list[PlannedDose]:
    """Every dose of the version due on the local days `first_day`..`last_day` (inclusive).
    Never more than 150 mg on one day: a schedule asking for more is a programming error."""
    doses: list[PlannedDose] = []
    day = max(first_day, effective_from)
    while day <= last_day:
        mg = mg_on(
            day, schedule=schedule, effective_from=effective_from, induction_first=induction_first
        )
        if mg is not None:
            if mg > MAX_MG_PER_DAY:
                raise ValueError("A schedule may never give more than 150 mg in one day.")
            doses.append(
                PlannedDose(
                    local_date=day, due_at=due_at_utc(day, supervision_time, time_zone), mg=mg
                )
            )
        day += dt.timedelta(days=1)
    return doses


def describe(schedule: str, *, supervision_time: dt.time | None = None) -> str:
    """The schedule in plain words, as on the alert card: "50 mg (one tablet) every day"."""
    text = str(Schedule(schedule).label)
    if supervision_time is not None:
        text += f", at {time_words(supervision_time)}"
    return text


def time_words(at: dt.time) -> str:
    """9:00am, 12:30pm: as people say it."""
    return clock(at)


def when_words(moment: dt.datetime, zone: str) -> str:
    """A moment as people say it, in the reader's zone: "Thursday 9:00am"."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local.strftime('%A')} {time_words(local.time())}"


def when_words_dated(moment: dt.datetime, zone: str) -> str:
    """ "Thursday 4 December, 9:00am": for moments more than a few days away."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local.strftime('%A')} {local.day} {local.strftime('%B')}, {time_words(local.time())}"
