"""Free slots, derived (never stored): weekly rules plus extra hours, minus leave and bookings.

Pure functions over rows the selector loads. Weekly rules are wall-clock times in the
clinician's zone: each day's times are placed on that local date and only then turned into UTC,
so a 9:00am session is at 9:00am on both sides of a clock change (08:00 UTC in summer, 09:00 UTC
in winter). A wall-clock time the clocks skip (01:30 on the spring-forward night) has no slot.
"""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from apps.counselling.models import AvailabilityException, AvailabilityRule, Booking

UTC = dt.UTC


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    clinician_id: int
    location_kind: str
    location: str


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Europe/London")


def _wall_time_exists(local: dt.datetime) -> bool:
    """False for a wall-clock time inside the hour the clocks skip."""
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def _rule_slots(
    rule: AvailabilityRule, zone: zoneinfo.ZoneInfo, first: dt.date, last: dt.date
) -> Iterable[Slot]:
    step = dt.timedelta(minutes=rule.session_minutes + rule.buffer_minutes)
    length = dt.timedelta(minutes=rule.session_minutes)
    day = first
    while day <= last:
        in_range = (rule.valid_from is None or day >= rule.valid_from) and (
            rule.valid_until is None or day <= rule.valid_until
        )
        if day.weekday() == rule.weekday and in_range:
            # Step in wall-clock minutes on the local date, so the grid never drifts an hour.
            start = dt.datetime.combine(day, rule.start_time)
            end = dt.datetime.combine(day, rule.end_time)
            while start + length <= end:
                local = start.replace(tzinfo=zone)
                if _wall_time_exists(local):
                    starts_at = local.astimezone(UTC)
                    finish = (start + length).replace(tzinfo=zone).astimezone(UTC)
                    yield Slot(
                        starts_at, finish, rule.clinician_id, rule.location_kind, rule.location
                    )
                start += step
        day += dt.timedelta(days=1)


def _extra_slots(extra: AvailabilityException) -> Iterable[Slot]:
    step = dt.timedelta(minutes=extra.session_minutes + extra.buffer_minutes)
    length = dt.timedelta(minutes=extra.session_minutes)
    start = extra.starts_at.astimezone(UTC)
    while start + length <= extra.ends_at:
        yield Slot(start, start + length, extra.clinician_id, extra.location_kind, extra.location)
        start += step


def derive_slots(
    *,
    clinician_id: int,
    zone_name: str,
    rules: Iterable[AvailabilityRule],
    exceptions: Iterable[AvailabilityException],
    bookings: Iterable[Booking],
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> list[Slot]:
    """Free slots of one clinician starting within [window_start, window_end), earliest first."""
    zone = zone_of(zone_name)
    first = window_start.astimezone(zone).date()
    last = window_end.astimezone(zone).date()
    exceptions = list(exceptions)
    candidates: dict[dt.datetime, Slot] = {}
    for rule in rules:
        for slot in _rule_slots(rule, zone, first, last):
            candidates.setdefault(slot.starts_at, slot)
    for extra in exceptions:
        if extra.kind == AvailabilityException.Kind.EXTRA:
            for slot in _extra_slots(extra):
                candidates.setdefault(slot.starts_at, slot)
    busy = _Busy(
        [(e.starts_at, e.ends_at) for e in exceptions if e.kind == AvailabilityException.Kind.LEAVE]
        + [(b.starts_at, b.ends_at) for b in bookings if b.status == Booking.Status.BOOKED]
    )
    free = [
        slot
        for slot in candidates.values()
        if window_start <= slot.starts_at < window_end
        and slot.clinician_id == clinician_id
        and not busy.overlaps(slot.starts_at, slot.ends_at)
    ]
    return sorted(free)


class _Busy:
    """Times taken by leave and bookings, sorted by start: whether a slot overlaps any of them
    is one binary search (a full diary has hundreds of bookings and hundreds of slots)."""

    def __init__(self, spans: list[tuple[dt.datetime, dt.datetime]]) -> None:
        spans.sort()
        self.starts = [start for start, _end in spans]
        # latest[i]: the latest end among the first i spans.
        self.latest: list[dt.datetime | None] = [None]
        for _start, end in spans:
            previous = self.latest[-1]
            self.latest.append(end if previous is None or end > previous else previous)

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        # Spans starting before the slot ends overlap it when one of them ends after it starts.
        latest = self.latest[bisect.bisect_left(self.starts, end)]
        return latest is not None and latest > start
