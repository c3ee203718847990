"""The patient's record for people to read: the same data as the download (apps/accounts/
exports.py), laid out as summary lists by section, in plain words, on a page and as a PDF.

The layout is generic, so a new export section shows up here by itself; add its heading to
SECTION_TITLES (and any code worth translating to VALUE_WORDS) to make it read well.
"""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings

from apps.core import timefmt

SECTION_TITLES: dict[str, str] = {
    "account": "Your account",
    "supervisor_consents": "Your supervisors",
    "record_access": "Who has seen or changed your record",
    "intake": "Your questionnaire, tests and the decision to start",
    "treatment": "Your treatment and doses",
    "counselling": "Counselling",
    "tasks": "Tasks your clinician was given about you",
    "safety_and_alert_cards": "Safety messages and alert cards",
    "notifications": "Messages the portal sent you",
}
# Words for field names that humanising alone would get wrong.
LABELS: dict[str, str] = {
    "email": "E-mail address",
    "full_name": "Full name",
    "preferred_name": "What we call you",
    "time_zone": "Time zone",
    "joined": "Joined",
    "responsible_clinician": "Your clinician",
    "supervisor_name": "Supervisor",
    "supervisor_email": "Supervisor's e-mail address",
    "consent_text": "The consent you signed",
    "who": "Who",
    "what": "What happened",
    "when": "When",
    "mg": "Dose (mg)",
    "kind": "Type",
    "email_enabled": "E-mails on",
    "sms_enabled": "Text messages on",
    "sms_number": "Mobile number",
}
# Codes worth saying in words wherever they appear as a value.
VALUE_WORDS: dict[str, str] = {
    "active": "In place",
    "invited": "Waiting for the supervisor to accept",
    "accepted": "Waiting for your clinician to confirm",
    "declined": "The supervisor said no",
    "revoked": "Ended",
    "doses": "Your dose schedule and whether each dose was taken",
    "patient": "Patient",
    "supervisor": "Supervisor",
    "clinician": "Clinician",
    "staff": "Clinic staff",
    "system": "The portal",
    "open": "Open",
    "done": "Done",
    "urgent": "Urgent",
    "normal": "Normal",
    "pending": "Waiting to send",
    "sent": "Sent",
    "failed": "Could not be sent",
    "cancelled": "Not needed any more",
    "email": "E-mail",
    "sms": "Text message",
}
# Values no reader needs (internal numbers), left out of the readable forms only.
HIDDEN_KEYS = frozenset({"id", "pk", "action", "event_key", "context_ids", "rule_code"})
NOT_RECORDED = "Not recorded"
NONE_YET = "None recorded"
LONG_TEXT = 200


@dataclass
class Group:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    groups: list[Group] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(g.rows for g in self.groups)


def label_for(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    words = key
    for suffix in ("_at", "_on"):
        if words.endswith(suffix) and len(words) > len(suffix):
            words = words[: -len(suffix)]
    return words.replace("_", " ").strip().capitalize() or key


def value_words(value: Any, zone: dt.tzinfo) -> str:
    """One value as people read it: times in their zone ("Thursday 26 November 2026, 9:05am"),
    yes or no, codes in words."""
    if value is None or value == "":
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        local = value.astimezone(zone) if value.tzinfo else value
        return timefmt.when(local, "l j F Y")
    if isinstance(value, dt.date):
        return f"{value.strftime('%A')} {value.day} {value.strftime('%B %Y')}"
    if isinstance(value, dt.time):
        return timefmt.clock(value)
    if isinstance(value, str):
        parsed = _parse_time(value)
        if parsed is not None:
            return value_words(parsed, zone)
        return VALUE_WORDS.get(value, value)
    if isinstance(value, list | tuple) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(value_words(v, zone) for v in value) or NONE_YET
    return str(value)


def _parse_time(text: str) -> dt.datetime | dt.date | dt.time | None:
    """ISO dates and times as the export may hold them as text (already-serialised rows)."""
    if len(text) == 8 and text[2] == ":" and text[5] == ":":
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            return None
    if len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _rows(item: Any, zone: dt.tzinfo, prefix: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(item, dict):
        for key, value in item.items():
            if key in HIDDEN_KEYS:
                continue
            label = f"{prefix}{label_for(str(key))}"
            if isinstance(value, dict):
                if not value:
                    yield label, NONE_YET
                yield from _rows(value, zone, prefix=f"{label}: ")
            elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
                if not value:
                    yield label, NONE_YET
                for n, entry in enumerate(value, start=1):
                    yield from _rows(entry, zone, prefix=f"{label} {n}: ")
            else:
                yield label, value_words(value, zone)
    elif isinstance(item, list):
        for n, entry in enumerate(item, start=1):
            yield from _rows(entry, zone, prefix=f"{prefix}{n}: ")
    else:
        yield prefix.rstrip(": ") or "Value", value_words(item, zone)


def _groups(key: str, data: Any, zone: dt.tzinfo) -> list[Group]:
    """A list becomes one group per entry; a dict of lists becomes one group per entry of each
    list (titled by the list's name); anything else is a single group."""
    if isinstance(data, list):
        return [Group(title=f"{n}", rows=list(_rows(e, zone))) for n, e in enumerate(data, 1)]
    if isinstance(data, dict) and any(isinstance(v, list | dict) for v in data.values()):
        groups: list[Group] = []
        flat = {k: v for k, v in data.items() if not isinstance(v, list | dict)}
        if flat:
            groups.append(Group(title="", rows=list(_rows(flat, zone))))
        for sub, value in data.items():
            if sub in HIDDEN_KEYS or not isinstance(value, list | dict):
                continue
            title = label_for(str(sub))
            if isinstance(value, list):
                if not value:
                    groups.append(Group(title=title, rows=[("Entries", NONE_YET)]))
                for n, entry in enumerate(value, start=1):
                    name = title if len(value) == 1 else f"{title} ({n} of {len(value)})"
                    groups.append(Group(title=name, rows=list(_rows(entry, zone))))
            else:
                groups.append(
                    Group(title=title, rows=list(_rows(value, zone)) or [("Entries", NONE_YET)])
                )
        return groups
    return [Group(title="", rows=list(_rows(data, zone)))]


def record_sections(data: dict[str, Any], *, time_zone: str) -> list[Section]:
    """The export as titled sections of summary lists, in the order of SECTION_TITLES."""
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    keys = [k for k in SECTION_TITLES if k in data] + [k for k in data if k not in SECTION_TITLES]
    return [
        Section(key=k, title=SECTION_TITLES.get(k, label_for(k)), groups=_groups(k, data[k], zone))
        for k in keys
    ]


# --- PDF ----------------------------------------------------------------------------------------

# The same open font as the alert card (apps/content/fonts, DejaVu licence beside it), read by
# path: names in any European language print correctly.
FONT_DIR = Path(settings.BASE_DIR) / "apps" / "content" / "fonts"


def _pdf_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "RecordSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("RecordSans", str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("RecordSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    return "RecordSans", "RecordSans-Bold"


def record_pdf(
    sections: list[Section], *, patient_name: str, clinic_name: str, made_at: str
) -> bytes:
    """The readable record as an A4 PDF: headings, then label and value pairs."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import Flowable

    regular, bold = _pdf_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    label = ParagraphStyle("label", parent=body, fontName=bold)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=18, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=13.5, leading=17, spaceBefore=10)
    h3 = ParagraphStyle("h3", fontName=bold, fontSize=10.5, leading=14, spaceBefore=6)

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        # Paragraph reads a little markup: the record's own text is escaped (&, <, >).
        return Paragraph(html.escape(text, quote=False).replace("\n", "<br/>"), style)

    story: list[Flowable] = [
        para(f"The record {clinic_name} holds about {patient_name}", h1),
        para(f"Made on {made_at}. The data file (JSON) beside it holds the same record.", body),
    ]
    for section in sections:
        story.append(para(section.title, h2))
        if section.is_empty:
            story.append(para("Nothing recorded.", body))
            continue
        for group in section.groups:
            if group.title:
                story.append(para(group.title, h3))
            rows = [[para(k, label), para(v, body)] for k, v in group.rows]
            if not rows:
                continue
            table = Table(rows, colWidths=[55 * mm, 115 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ]
                )
            )
            story.append(table)
        story.append(Spacer(1, 4))
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Record of {patient_name}",
        author=clinic_name,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        invariant=True,
    ).build(story)
    return buffer.getvalue()
