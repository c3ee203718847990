"""Turning rows into what pages show: times in the viewer's zone, as people say them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from apps.accounts.models import User
from apps.counselling.models import Booking
from apps.counselling.slots import Slot, zone_of
from apps.counselling.words import clock_text, day_text, when_text


@dataclass(frozen=True)
class SlotRow:
    clinician_id: int
    clinician_name: str
    value: str  # UTC ISO 8601, what the form sends back
    time: str
    place: str


def slot_days(slots: list[Slot], *, viewer: User, clinicians: list[User]) -> list[dict[str, Any]]:
    """Slots grouped by the viewer's local day: [{"day": "Thursday 26 March", "slots": [...]}]."""
    zone = zone_of(viewer.time_zone)
    names = {c.pk: c.full_name for c in clinicians}
    days = []
    for day, group in groupby(slots, key=lambda s: s.starts_at.astimezone(zone).date()):
        rows = [
            SlotRow(
                clinician_id=s.clinician_id,
                clinician_name=names.get(s.clinician_id, ""),
                value=s.starts_at.astimezone(dt.UTC).isoformat(),
                time=clock_text(s.starts_at.astimezone(zone)),
                place="Video call" if s.location_kind == "video" else s.location,
            )
            for s in group
        ]
        days.append({"day": day_text(day), "slots": rows})
    return days


def booking_row(booking: Booking, *, viewer: User) -> dict[str, Any]:
    zone = zone_of(viewer.time_zone)
    return {
        "booking": booking,
        "when": when_text(booking.starts_at.astimezone(zone)),
        "until": clock_text(booking.ends_at.astimezone(zone)),
        "place": booking.location,
        "is_video": booking.location_kind == "video",
    }


def date_text(day: dt.date | None) -> str:
    return day_text(day) if day is not None else ""


def when_text_for(moment: dt.datetime, person: User) -> str:
    return when_text(moment.astimezone(zone_of(person.time_zone)))
