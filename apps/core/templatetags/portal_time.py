"""Template filters for the portal's one time format (apps/core/timefmt.py):
`{{ moment|clock }}` "4:32pm", `{{ moment|day_clock }}` "Thursday 9:00am",
`{{ moment|when }}` "Thursday 26 November, 4:32pm", `{{ moment|when:"l j F Y" }}` with the year.
Datetimes are shown in the reader's time zone, as Django's own date filter does."""

from __future__ import annotations

import datetime as dt

from django import template

from apps.core import timefmt

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def clock(value: dt.time | dt.datetime | None) -> str:
    if not isinstance(value, dt.time | dt.datetime):
        return ""
    return timefmt.clock(value)


@register.filter(expects_localtime=True, is_safe=False)
def day_clock(value: dt.datetime | None) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    return timefmt.day_clock(value)


@register.filter(expects_localtime=True, is_safe=False)
def when(value: dt.datetime | None, date_part: str = "l j F") -> str:
    if not isinstance(value, dt.datetime):
        return ""
    return timefmt.when(value, date_part)
