"""Quiet hours: local wall-clock times in the person's own time zone.

A window may cross midnight (22:00 to 07:00). The end is computed as a wall-clock time on the
right local date and only then turned into UTC, so a clock change inside the window moves the
end with the clocks (07:00 is 07:00 on the morning after the clocks go forward or back).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Europe/London")


def in_quiet_hours(*, start: time, end: time, local: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end(
    *, start: time | None, end: time | None, zone_name: str, now: datetime
) -> datetime:
    """`now` if it is outside the quiet hours, else the (UTC) moment they end."""
    if start is None or end is None:
        return now
    zone = _zone(zone_name)
    local = now.astimezone(zone)
    if not in_quiet_hours(start=start, end=end, local=local.time().replace(tzinfo=None)):
        return now
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    # Wall-clock end on that day. If it falls in the hour the clocks skip, fold=0 reads it with
    # the earlier offset, which lands just after the jump: never earlier than asked.
    ends = datetime.combine(day, end, tzinfo=zone)
    return ends.astimezone(now.tzinfo)
