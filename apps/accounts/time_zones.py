"""The time-zone choice as people look for it: the UK first, then the world's regions in
alphabetical order, each zone named by its place ("Buenos Aires, Argentina"). Grouped options
(<optgroup>) need no JavaScript, and typing a place's first letters still jumps to it."""

from __future__ import annotations

import zoneinfo

UK = "Europe/London"

REGIONS = {
    "Africa": "Africa",
    "America": "Americas",
    "Antarctica": "Antarctica",
    "Arctic": "Arctic",
    "Asia": "Asia",
    "Atlantic": "Atlantic Ocean",
    "Australia": "Australia",
    "Europe": "Europe",
    "Indian": "Indian Ocean",
    "Pacific": "Pacific Ocean",
}

Choice = tuple[str, str]


def _place(zone: str) -> str:
    """ "America/Argentina/Buenos_Aires" reads "Buenos Aires, Argentina"."""
    parts = [part.replace("_", " ") for part in zone.split("/")[1:]]
    return ", ".join(reversed(parts)) or zone


def grouped_time_zone_choices() -> list[tuple[str, list[Choice]]]:
    zones = zoneinfo.available_timezones()
    groups: dict[str, list[Choice]] = {label: [] for label in REGIONS.values()}
    other: list[Choice] = []
    for zone in zones:
        region = zone.split("/", 1)[0]
        if zone == UK:
            continue
        if region in REGIONS and "/" in zone:
            groups[REGIONS[region]].append((zone, _place(zone)))
        else:
            # UTC and older names (kept so a person who has one can still save their details).
            other.append((zone, zone.replace("_", " ")))
    return [
        ("United Kingdom", [(UK, "United Kingdom (London)")]),
        *((label, sorted(groups[label], key=lambda c: c[1])) for label in sorted(groups)),
        ("Other", sorted(other, key=lambda c: c[1])),
    ]


TIME_ZONE_FORM_CHOICES = grouped_time_zone_choices()
