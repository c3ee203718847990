"""Timeline entries for alerts and supervisors' concerns (the clinician's per-patient timeline,
`apps.dosing.selectors.TIMELINE_SOURCES`)."""

from __future__ import annotations

from apps.accounts.models import User
from apps.dosing.escalation_models import Alert, Concern
from apps.dosing.selectors import TimelineEntry


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
