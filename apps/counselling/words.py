"""Times as people say them: "Thursday 26 March, 9:00am"."""

from __future__ import annotations

import datetime as dt

from apps.core.timefmt import clock


def clock_text(local: dt.datetime) -> str:
    """ "9:00am" (the portal's one time format, apps/core/timefmt.py)."""
    return clock(local)


def when_text(local: dt.datetime) -> str:
    """A local time as people say it, with the date."""
    return f"{local:%A} {local.day} {local:%B}, {clock_text(local)}"


def day_text(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"
