"""Finished data for the dosing pages: plain words, times as people say them, counts worked out
here so templates hold no logic. Every query is made up front (a fixed number per page)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_get
from apps.core.charts import Bar, BarChart, percent_bars
from apps.dosing import selectors
from apps.dosing.models import (
    TAKEN_OUTCOMES,
    DoseOutcome,
    Outcome,
    PlanVersion,
    ScheduledDose,
    TreatmentPlan,
)
from apps.dosing.schedule import describe, time_words, when_words, when_words_dated

ROLE_OUTCOMES: dict[str, tuple[str, ...]] = {
    Role.PATIENT: (Outcome.SELF_REPORTED, Outcome.VOMITED, Outcome.MISSED),
    Role.SUPERVISOR: (Outcome.WITNESSED, Outcome.REFUSED, Outcome.VOMITED, Outcome.MISSED),
    Role.CLINICIAN: (Outcome.WITNESSED, Outcome.REFUSED, Outcome.VOMITED, Outcome.MISSED),
}
MONTH_PARAM = re.compile(r"^(\d{4})-(\d{2})$")
KIT_WARN_DAYS = 30


@dataclass
class DoseRow:
    dose: ScheduledDose
    day_words: str
    due_words: str
    amount: str
    outcome: DoseOutcome | None
    status: str  # plain words: "Taken, witnessed", "Not recorded yet", "Not recorded (late)"
    is_late: bool
    can_record: bool = False
    buttons: list[tuple[str, str]] = field(default_factory=list)


def amount_words(mg: int) -> str:
    tablets = {25: "half a tablet", 50: "one tablet", 100: "two tablets", 150: "three tablets"}
    return f"{mg} mg ({tablets.get(mg, f'{mg / 50:g} tablets')})"


def _current(dose: ScheduledDose) -> DoseOutcome | None:
    return selectors.current_outcome(dose)


def dose_row(
    dose: ScheduledDose,
    *,
    zone: str,
    now: dt.datetime,
    clinic: ClinicSettings,
    role: str = "",
    first_pending: bool = False,
) -> DoseRow:
    outcome = _current(dose)
    is_late = now > dose.due_at + dt.timedelta(hours=clinic.dose_late_hours)
    if outcome is not None:
        status = f"{outcome.get_outcome_display()}, recorded by {outcome.recorded_by.display_name}"
    elif dose.due_at > now:
        status = "Due"
    else:
        status = "Not recorded (late)" if is_late else "Not recorded yet"
    local_day = dose.local_date
    today = selectors.patient_today_in(zone, now)
    allowed = ROLE_OUTCOMES.get(role, ())
    if first_pending and role != Role.CLINICIAN:
        # The first dose is given at the clinic; others may only say it was missed.
        allowed = tuple(o for o in allowed if o not in TAKEN_OUTCOMES)
    can_record = outcome is None and local_day <= today and bool(allowed)
    return DoseRow(
        dose=dose,
        day_words=f"{local_day:%A} {local_day.day} {local_day:%B}",
        due_words=when_words(dose.due_at, zone),
        amount=amount_words(dose.mg),
        outcome=outcome,
        status=status,
        is_late=is_late,
        can_record=can_record,
        buttons=[(o, str(Outcome(o).label)) for o in allowed] if can_record else [],
    )


def adherence(doses: list[ScheduledDose], *, today: dt.date, days: int, now: dt.datetime) -> str:
    """Doses taken out of doses due in the last `days` days, in words."""
    since = today - dt.timedelta(days=days - 1)
    due = [d for d in doses if since <= d.local_date <= today and d.due_at <= now]
    if not due:
        return "No doses due yet"
    taken = sum(1 for d in due if (o := _current(d)) is not None and o.is_taken)
    return f"{taken} of {len(due)} doses taken ({round(100 * taken / len(due))}%)"


def streak(doses: list[ScheduledDose], *, now: dt.datetime, late_hours: int) -> int:
    """Doses taken in a row, counting back from the latest dose that is due. A dose due today
    and not yet late does not break the streak."""
    count = 0
    for dose in sorted(doses, key=lambda d: d.due_at, reverse=True):
        if dose.due_at > now:
            continue
        outcome = _current(dose)
        if outcome is None and now <= dose.due_at + dt.timedelta(hours=late_hours):
            continue
        if outcome is None or not outcome.is_taken:
            break
        count += 1
    return count


def month_of(param: str, today: dt.date) -> dt.date:
    """The first day of the month asked for (?month=2026-06), or this month. Anything else, or
    a month more than two years away, means this month."""
    match = MONTH_PARAM.match(param or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and abs(year - today.year) <= 2:
            return dt.date(year, month, 1)
    return today.replace(day=1)


def month_calendar(first: dt.date, doses: list[ScheduledDose]) -> list[list[dict[str, Any]]]:
    """Weeks (Monday first) of days, each with its outcome in words."""
    by_day = {d.local_date: d for d in doses}
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        row = []
        for day in week:
            dose = by_day.get(day)
            outcome = _current(dose) if dose else None
            if day.month != first.month:
                words, code = "", "outside"
            elif dose is None:
                words, code = "No dose", "none"
            elif outcome is None:
                words, code = f"{dose.mg} mg: not recorded", "pending"
            else:
                words, code = f"{dose.mg} mg: {outcome.get_outcome_display()}", outcome.outcome
            row.append(
                {"day": day, "in_month": day.month == first.month, "words": words, "code": code}
            )
        weeks.append(row)
    return weeks


def _months_around(first: dt.date) -> tuple[str, str]:
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return f"{prev:%Y-%m}", f"{nxt:%Y-%m}"


def patient_page(
    *, patient: User, month: str = "", now: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything on the patient's own dose page."""
    now = now or timezone.now()
    clinic = clinic_settings_get()
    zone = patient.time_zone
    today = selectors.patient_today(patient, now)
    plan = selectors.plan_latest_for(patient_id=patient.pk)
    kit = selectors.naloxone_kit_current(patient_id=patient.pk)
    context: dict[str, Any] = {
        "patient": patient,
        "plan": plan,
        "kit": kit,
        "kit_expires_soon": bool(kit and (kit.expires_on - today).days <= KIT_WARN_DAYS),
        "kit_expired": bool(kit and kit.expires_on <= today),
    }
    if plan is None:
        return context
    version = selectors.version_current(plan)
    first = month_of(month, today)
    window_start = min(today - dt.timedelta(days=89), first)
    window_end = max(today, first + dt.timedelta(days=31))
    doses = list(
        selectors.doses_with_outcomes(
            ScheduledDose.objects.filter(
                patient=patient, local_date__gte=window_start, local_date__lte=window_end
            )
        )
    )
    today_dose = next((d for d in doses if d.local_date == today), None)
    protection = selectors.protection_for(patient_id=patient.pk, clinic=clinic)
    first_pending = protection.last_taken is None
    prev_month, next_month = _months_around(first)
    recent = [d for d in doses if d.local_date <= today]
    context.update(
        {
            "version": version,
            "schedule_words": _schedule_words(version),
            "supervisors": [u.full_name for u in version.supervisors.all()],
            "clinic_supervision": version.clinic_supervision,
            "today": (
                dose_row(
                    today_dose,
                    zone=zone,
                    now=now,
                    clinic=clinic,
                    role=Role.PATIENT,
                    first_pending=first_pending,
                )
                if today_dose
                else None
            ),
            "protected_until": (
                when_words_dated(protection.protected_until, zone)
                if protection.protected_until
                else None
            ),
            "is_protected": protection.is_protected(now),
            "first_pending": first_pending,
            "streak": streak(recent, now=now, late_hours=clinic.dose_late_hours),
            "adherence": [
                (days, adherence(recent, today=today, days=days, now=now)) for days in (7, 30, 90)
            ],
            "month": first,
            "weeks": month_calendar(first, [d for d in doses if d.local_date.month == first.month]),
            "prev_month": prev_month,
            "next_month": next_month,
        }
    )
    return context


def _schedule_words(version: PlanVersion) -> str:
    if not version.schedules_doses:
        return str(version.get_change_display())
    return describe(version.schedule, supervision_time=version.supervision_time)


def supervisor_page(*, user: User, patient: User, now: dt.datetime | None = None) -> dict[str, Any]:
    """A supervisor's page about one person they support: the dose schedule and outcomes only
    (the consent's scope), today's dose with outcome buttons, the last 14 days."""
    now = now or timezone.now()
    clinic = clinic_settings_get()
    zone = patient.time_zone
    today = selectors.patient_today(patient, now)
    plan = selectors.plan_open_for(patient_id=patient.pk)
    context: dict[str, Any] = {"patient": patient, "plan": plan}
    if plan is None:
        return context
    version = selectors.version_current(plan)
    doses = list(
        selectors.doses_with_outcomes(
            ScheduledDose.objects.filter(
                patient=patient,
                local_date__gte=today - dt.timedelta(days=13),
                local_date__lte=today,
            )
        )
    )
    first_pending = (
        selectors.protection_for(patient_id=patient.pk, clinic=clinic).last_taken is None
    )
    rows = [
        dose_row(d, zone=zone, now=now, clinic=clinic, role=user.role, first_pending=first_pending)
        for d in doses
    ]
    context.update(
        {
            "version": version,
            "schedule_words": _schedule_words(version),
            "today": next((r for r in rows if r.dose.local_date == today), None),
            "recent": list(reversed(rows)),
            "first_pending": first_pending,
        }
    )
    return context


def plan_page(*, plan: TreatmentPlan, now: dt.datetime | None = None) -> dict[str, Any]:
    """The clinician's plan page: versions, the next doses, the last 14 days."""
    now = now or timezone.now()
    clinic = clinic_settings_get()
    zone = plan.patient.time_zone
    today = selectors.patient_today(plan.patient, now)
    doses = list(
        selectors.doses_with_outcomes(
            ScheduledDose.objects.filter(
                plan=plan,
                local_date__gte=today - dt.timedelta(days=13),
                local_date__lte=today + dt.timedelta(days=7),
            )
        )
    )
    protection = selectors.protection_for(patient_id=plan.patient_id, clinic=clinic)
    rows = [
        dose_row(
            d,
            zone=zone,
            now=now,
            clinic=clinic,
            role=Role.CLINICIAN,
            first_pending=protection.last_taken is None,
        )
        for d in doses
    ]
    versions = list(plan.versions.all())
    return {
        "plan": plan,
        "patient": plan.patient,
        "versions": [
            {
                "version": v,
                "schedule_words": _schedule_words(v),
                "supervisors": ", ".join(u.full_name for u in v.supervisors.all()),
                "created": when_words_dated(v.created_at, zone),
            }
            for v in versions
        ],
        "current": versions[0] if versions else None,
        "past": list(reversed([r for r in rows if r.dose.local_date <= today])),
        "upcoming": [r for r in rows if r.dose.local_date > today],
        "protected_until": (
            when_words_dated(protection.protected_until, zone)
            if protection.protected_until
            else None
        ),
        "is_protected": protection.is_protected(now),
        "supervision_time": time_words(versions[0].supervision_time) if versions else "",
    }


def adherence_sentence(
    doses: list[ScheduledDose], *, today: dt.date, days: int, now: dt.datetime
) -> str:
    """ "In the last 7 days you took 6 of 7 doses (86%)." """
    since = today - dt.timedelta(days=days - 1)
    due = [d for d in doses if since <= d.local_date <= today and d.due_at <= now]
    if not due:
        return f"No doses were due in the last {days} days."
    taken = sum(1 for d in due if (o := _current(d)) is not None and o.is_taken)
    percent = round(100 * taken / len(due))
    return f"In the last {days} days you took {taken} of {len(due)} doses ({percent}%)."


def weekly_adherence(
    doses: list[ScheduledDose], *, today: dt.date, weeks: int, now: dt.datetime
) -> list[Bar]:
    """Doses taken out of doses due, week by week (oldest first), the last week ending today."""
    bars = []
    for back in range(weeks - 1, -1, -1):
        end = today - dt.timedelta(days=7 * back)
        start = end - dt.timedelta(days=6)
        due = [d for d in doses if start <= d.local_date <= end and d.due_at <= now]
        taken = sum(1 for d in due if (o := _current(d)) is not None and o.is_taken)
        percent = round(100 * taken / len(due)) if due else None
        words = f"{taken} of {len(due)} doses taken ({percent}%)" if due else "No doses due"
        bars.append(Bar(label=f"{start.day} {start:%b}", words=words, percent=percent))
    return bars


def adherence_chart(
    doses: list[ScheduledDose], *, today: dt.date, now: dt.datetime, weeks: int = 12
) -> BarChart:
    """The patient's weekly adherence as a bar chart with its table."""
    bars = weekly_adherence(doses, today=today, weeks=weeks, now=now)
    counted = [b for b in bars if b.percent is not None]
    if counted:
        summary = f"Most recent week: {counted[-1].words}."
    else:
        summary = "No doses were due in these weeks."
    return percent_bars(f"Doses taken each week, the last {weeks} weeks", summary, bars)


def patient_summary(
    *, patient: User, plan: TreatmentPlan, clinic: ClinicSettings, now: dt.datetime
) -> dict[str, Any]:
    """The dashboard's dose card: today's dose and who supervises it, protection in words,
    streak, adherence and the weekly chart. Fixed queries: doses with their outcomes (2), the
    version's supervisors (1), the last taken and witnessed doses (2)."""
    zone = patient.time_zone
    today = selectors.patient_today(patient, now)
    doses = list(
        selectors.doses_with_outcomes(
            ScheduledDose.objects.filter(
                plan=plan, local_date__gte=today - dt.timedelta(days=83), local_date__lte=today
            ).select_related("version")
        )
    )
    today_dose = next((d for d in doses if d.local_date == today), None)
    protection = selectors.protection_for(patient_id=patient.pk, clinic=clinic)
    first_pending = protection.last_taken is None
    supervisors: list[str] = []
    clinic_supervision = False
    if today_dose is not None:
        supervisors = [u.full_name for u in today_dose.version.supervisors.all()]
        clinic_supervision = today_dose.version.clinic_supervision
    return {
        "today": (
            dose_row(
                today_dose,
                zone=zone,
                now=now,
                clinic=clinic,
                role=Role.PATIENT,
                first_pending=first_pending,
            )
            if today_dose
            else None
        ),
        "supervisors": supervisors,
        "clinic_supervision": clinic_supervision,
        "protected_until": (
            when_words_dated(protection.protected_until, zone)
            if protection.protected_until
            else None
        ),
        "is_protected": protection.is_protected(now),
        "streak": streak(doses, now=now, late_hours=clinic.dose_late_hours),
        "adherence_7": adherence_sentence(doses, today=today, days=7, now=now),
        "adherence_30": adherence_sentence(doses, today=today, days=30, now=now),
        "chart": adherence_chart(doses, today=today, now=now),
    }


# Each day's mark: an icon (shape, not colour alone) and its words.
DAY_MARKS: dict[str, tuple[str, str]] = {
    Outcome.WITNESSED: ("✓", "Taken, witnessed"),
    Outcome.SELF_REPORTED: ("✓", "Taken, not supervised"),
    Outcome.REFUSED: ("✗", "Refused"),
    Outcome.VOMITED: ("!", "Vomited or spat out"),
    Outcome.MISSED: ("✗", "Missed"),
    "pending": ("?", "Not recorded"),
    "due": ("·", "Due later"),
    "none": ("\u2013", "No dose"),  # an en dash
}


def day_strip(
    doses: list[ScheduledDose], *, today: dt.date, now: dt.datetime, days: int = 14
) -> list[dict[str, str]]:
    """The last `days` days, oldest first, each with an icon, a short label and words."""
    by_day = {d.local_date: d for d in doses}
    strip = []
    for back in range(days - 1, -1, -1):
        day = today - dt.timedelta(days=back)
        dose = by_day.get(day)
        outcome = _current(dose) if dose else None
        if dose is None:
            code = "none"
        elif outcome is not None:
            code = outcome.outcome
        else:
            code = "due" if dose.due_at > now else "pending"
        icon, words = DAY_MARKS[code]
        strip.append(
            {
                "code": code,
                "icon": icon,
                "short": f"{day:%a}"[:2] + f" {day.day}",
                "words": f"{day:%A} {day.day} {day:%B}: {words}",
            }
        )
    return strip
