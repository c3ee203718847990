"""Timeline entries for alerts and supervisors' concerns (the clinician's per-patient timeline,
`apps.dosing.selectors.TIMELINE_SOURCES`)."""

from __future__ import annotations

from apps.accounts.models import User
from apps.dosing.escalation_models import Alert, Concern, MoodCheck
from apps.dosing.selectors import TimelineEntry
from apps.intake import instruments
from apps.intake.models import LiverFunctionTest


def _told(recipients: list[dict[str, object]]) -> str:
    roles = [str(r.get("role", "")) for r in recipients]
    parts = [
        f"{n} {role}{'s' if n > 1 else ''}"
        for role in ("patient", "supervisor", "clinician")
        if (n := roles.count(role))
    ]
    return ", ".join(parts) or "nobody"


def alert_entries(patient: User) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=a.created_at,
            kind="alert",
            title=f"Alert: {a.get_rule_display()}",
            detail=f"Threshold: {a.threshold}. Told: {_told(a.recipients)}.",
        )
        for a in Alert.objects.filter(patient=patient)
    ]


def concern_entries(patient: User) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=c.created_at,
            kind="concern",
            title=f"Concern from {c.supervisor.full_name}: {c.get_worry_display()}",
            detail=c.what_seen,
            extra={"by": c.supervisor.full_name},
        )
        for c in Concern.objects.filter(patient=patient).select_related("supervisor")
    ]


def mood_entries(patient: User) -> list[TimelineEntry]:
    entries = []
    for m in MoodCheck.objects.filter(patient=patient):
        phq = instruments.band_for(instruments.PHQ_9, m.phq9_total)
        gad = instruments.band_for(instruments.GAD_7, m.gad7_total)
        item9 = int(m.answers.get("phq_9", {}).get("phq_9", 0))
        entries.append(
            TimelineEntry(
                at=m.submitted_at,
                kind="result",
                title=f"Mood questions, month {m.month}",
                detail=(
                    f"PHQ-9 {m.phq9_total} ({phq.label}); GAD-7 {m.gad7_total} ({gad.label})"
                    + ("; question 9 above 0" if item9 > 0 else "")
                ),
            )
        )
    return entries


def liver_entries(patient: User) -> list[TimelineEntry]:
    """Liver blood tests, as ALT and AST multiples of the upper limit of normal."""
    return [
        TimelineEntry(
            at=t.created_at,
            kind="result",
            title=f"Liver blood test taken {t.taken_on:%-d %B %Y}",
            detail=(
                f"ALT {t.alt} U/L ({t.alt / t.alt_uln:.1f} x upper limit), "
                f"AST {t.ast} U/L ({t.ast / t.ast_uln:.1f} x upper limit)"
            ),
        )
        for t in LiverFunctionTest.objects.filter(patient=patient)
    ]
