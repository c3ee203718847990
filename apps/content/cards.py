"""What the alert card knows about the patient's doses.

The dose log belongs to the treatment and supervision apps. Until one of them sets
`DOSE_INFO_PROVIDER` to the dotted path of a function `(patient_id: int) -> CardDoseInfo`, the
card says "not recorded yet" for the dose, the schedule and the last witnessed dose.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from apps.clinic.selectors import clinic_settings_get
from apps.core.timefmt import clock

if TYPE_CHECKING:
    from apps.accounts.models import User

# Dotted path of the function that fills the card's dose lines (set by the dosing app).
DOSE_INFO_PROVIDER: str | None = None


@dataclass(frozen=True)
class CardDoseInfo:
    # Plain words, e.g. "100 mg (2 tablets) every second day".
    dose_and_schedule: str = ""
    # The last dose someone watched being taken, and when its blocking effect is expected to end
    # (DOMAIN.md section 3: 24 h after 50 mg, 48 h after 100 mg, 72 h after 150 mg). UTC.
    last_witnessed_at: datetime | None = None
    blocked_until: datetime | None = None


NOTHING_RECORDED = CardDoseInfo()


@cache
def _provider() -> Callable[[int], CardDoseInfo] | None:
    return import_string(DOSE_INFO_PROVIDER) if DOSE_INFO_PROVIDER else None


def card_dose_info(patient_id: int) -> CardDoseInfo:
    """The dose lines of the card, or empty lines until the dose log exists."""
    provider = _provider()
    return provider(patient_id) if provider is not None else NOTHING_RECORDED


# --- The card itself ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertCard:
    """Finished text for the card page and the PDF."""

    patient_name: str
    dose_and_schedule: str
    last_witnessed: str
    blocked_until: str
    clinic_name: str
    clinic_phone: str
    issued_on: str


def _local(moment: datetime, zone: str) -> datetime:
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _when(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return str(_("not recorded yet"))
    local = _local(moment, zone)
    # Reads like: Thursday 4 December 2026, 9:00am GMT
    return f"{date_format(local, 'l j F Y')}, {clock(local)} {local.tzname()}"


def alert_card_build(*, patient: User, issued_at: datetime) -> AlertCard:
    """The card's lines for this patient, times in the patient's own time zone."""
    clinic = clinic_settings_get()
    info = card_dose_info(patient.pk)
    zone = patient.time_zone
    return AlertCard(
        patient_name=patient.full_name,
        dose_and_schedule=info.dose_and_schedule or str(_("not recorded yet")),
        last_witnessed=_when(info.last_witnessed_at, zone),
        blocked_until=_when(info.blocked_until, zone),
        clinic_name=clinic.name,
        clinic_phone=clinic.phone_24h,
        issued_on=date_format(_local(issued_at, zone), "j F Y"),
    )


CARD_SIZE = (85.6 * mm, 54 * mm)  # a bank card (ISO/IEC 7810 ID-1)
FONT_DIR = Path(__file__).resolve().parent / "fonts"


@cache
def _fonts() -> tuple[str, str]:
    """Embedded DejaVu Sans, so names in any Latin, Greek or Cyrillic alphabet print (the PDF
    standard fonts cover Western European letters only)."""
    pdfmetrics.registerFont(TTFont("CardSans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("CardSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    return "CardSans-Bold", "CardSans"


def _draw_lines(pdf: canvas.Canvas, lines: list[tuple[str, str, float]]) -> None:
    width, height = CARD_SIZE
    margin = 3.5 * mm
    y = height - margin
    for text, font, size in lines:
        for piece in simpleSplit(text, font, size, width - 2 * margin):
            y -= size * 1.2
            pdf.setFont(font, size)
            pdf.drawString(margin, y, piece)
        y -= size * 0.3


def alert_card_pdf(card: AlertCard) -> bytes:
    """A two-page PDF, one page per side of a wallet card."""
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=CARD_SIZE, pageCompression=0)
    pdf.setTitle(str(_("Naltrexone alert card")))
    pdf.setAuthor(card.clinic_name)
    bold, plain = _fonts()
    _draw_lines(
        pdf,
        [
            (str(_("NALTREXONE ALERT CARD")), bold, 8),
            (str(_("I take naltrexone (an opioid blocker).")), bold, 7),
            (f"{_('Name')}: {card.patient_name}", plain, 6.5),
            (f"{_('Dose and schedule')}: {card.dose_and_schedule}", plain, 6),
            (f"{_('Last witnessed dose')}: {card.last_witnessed}", plain, 6),
            (f"{_('Blocked until (estimate)')}: {card.blocked_until}", plain, 6),
            (f"{_('Card issued')}: {card.issued_on}", plain, 5.5),
        ],
    )
    pdf.showPage()
    _draw_lines(
        pdf,
        [
            (str(_("Advice to emergency staff")), bold, 7.5),
            (str(EMERGENCY_ADVICE[0]), plain, 6),
            (str(EMERGENCY_ADVICE[1]), plain, 6),
            (f"{_('24-hour contact')}: {card.clinic_name}, {card.clinic_phone}", bold, 6.5),
        ],
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


EMERGENCY_ADVICE = (
    _(
        "Opioid painkillers will not work normally. Use non-opioid or regional pain relief "
        "(nerve block, local or general anaesthetic without opioids)."
    ),
    _(
        "High opioid doses given to overcome the block can cause breathing failure. If opioids "
        "cannot be avoided, give them only with close monitoring and breathing support ready."
    ),
)
