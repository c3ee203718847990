"""One way to write times, as people say them: "4:32pm", "Thursday 9:00am",
"Thursday 26 November, 4:32pm" (UI.md). Templates use the `portal_time` filters, Python code
these functions; both take times already in the reader's zone."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format


def clock(value: dt.time | dt.datetime) -> str:
    """ "4:32pm", "9:00am", "12:00pm" (noon), "12:00am" (midnight)."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


def day_clock(value: dt.datetime) -> str:
    """ "Thursday 9:00am"."""
    return f"{date_format(value, 'l')} {clock(value)}"


def when(value: dt.datetime, date_part: str = "l j F") -> str:
    """ "Thursday 26 November, 4:32pm" (the date part in Django's date format letters)."""
    return f"{date_format(value, date_part)}, {clock(value)}"
