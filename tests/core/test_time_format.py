"""One time format everywhere: "4:32pm" (UI.md), in the reader's zone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from apps.core.timefmt import clock, day_clock, when

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("hour", "minute", "text"),
    [
        (0, 0, "12:00am"),
        (0, 30, "12:30am"),
        (9, 5, "9:05am"),
        (11, 59, "11:59am"),
        (12, 0, "12:00pm"),
        (16, 32, "4:32pm"),
        (23, 59, "11:59pm"),
    ],
)
def test_clock_reads_as_people_say_it(hour, minute, text):
    assert clock(dt.time(hour, minute)) == text


def test_day_and_date_forms():
    moment = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
    assert day_clock(moment) == "Thursday 9:00am"
    assert when(moment) == "Thursday 26 November, 9:00am"
    assert when(moment, "j F Y") == "26 November 2026, 9:00am"


def test_template_filters_show_the_readers_zone_across_the_clock_change():
    template = Template("{% load portal_time %}{{ t|clock }}|{{ t|when }}|{{ t|day_clock }}")
    summer = dt.datetime(2026, 7, 2, 15, 32, tzinfo=dt.UTC)  # 4:32pm in London (BST)
    winter = dt.datetime(2026, 11, 26, 16, 32, tzinfo=dt.UTC)  # 4:32pm in London (GMT)
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        assert template.render(Context({"t": summer})) == (
            "4:32pm|Thursday 2 July, 4:32pm|Thursday 4:32pm"
        )
        assert template.render(Context({"t": winter})) == (
            "4:32pm|Thursday 26 November, 4:32pm|Thursday 4:32pm"
        )
    assert Template("{% load portal_time %}[{{ t|clock }}]").render(Context({"t": None})) == "[]"


# Django's time letters (g, G, h, H, i, A, a, P) inside a date/time filter's format.
TIME_IN_FILTER = re.compile(r'\|(?:date|time):"[^"]*[gGhHiAaP][^"]*"')
TIME_IN_STRFTIME = re.compile(r"%-?[IHMp]")


def test_templates_and_code_use_the_one_time_format():
    found: list[str] = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file() and path.suffix in {".html", ".txt"}:
            found.extend(
                f"{path.relative_to(ROOT)}: {match.group()}"
                for match in TIME_IN_FILTER.finditer(path.read_text())
            )
    for path in sorted((ROOT / "apps").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line in path.read_text().splitlines():
            # ISO values for <input type="datetime-local"> are for machines, not people.
            machine = "%Y-%m-%dT" in line
            if "strftime" in line and TIME_IN_STRFTIME.search(line) and not machine:
                found.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert not found, "Use the portal_time filters or apps.core.timefmt:\n" + "\n".join(found)
