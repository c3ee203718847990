"""Times as people say them: "Thursday 26 March, 9:00am"."""

from __future__ import annotations

import datetime as dt


def clock_text(local: dt.datetime) -> str:
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}:{local.minute:02d}{suffix}"


def when_text(local: dt.datetime) -> str:
    """A local time as people say it, with the date."""
    return f"{local:%A} {local.day} {local:%B}, {clock_text(local)}"


def day_text(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"
