"""The counselling cadence (DOMAIN.md section 5, from the clinic's leaflet): 2 to 3 sessions in
the first month of treatment, then at least one every one to two months until month six.

With the clinic's defaults (2 in the first month, every 56 days, for 6 months): the first
session is due by day 14, the second by day 28, then each one within 56 days of the last, as
long as that date falls within the first 6 months. Sessions attended or booked count; cancelled
and missed ones do not. Pure functions: the selector loads the dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FIRST_MONTH_DAYS = 28


@dataclass(frozen=True)
class Cadence:
    first_month_sessions: int
    interval_days: int
    months: int

    @property
    def until_days(self) -> int:
        # A month of treatment is counted as 30.4 days (365 / 12), rounded down.
        return int(self.months * 365 / 12)


def next_due(*, start: dt.date, sessions: list[dt.date], cadence: Cadence) -> dt.date | None:
    """The date by which the next session is due, or None when the cadence asks for no more."""
    counted = sorted(d for d in sessions if d >= start)
    end = start + dt.timedelta(days=cadence.until_days)
    first_month_end = start + dt.timedelta(days=FIRST_MONTH_DAYS)
    in_first = [d for d in counted if d < first_month_end]
    if len(in_first) < cadence.first_month_sessions:
        spacing = FIRST_MONTH_DAYS // cadence.first_month_sessions
        return start + dt.timedelta(days=spacing * (len(in_first) + 1))
    due = counted[-1] + dt.timedelta(days=cadence.interval_days)
    return due if due <= end else None
