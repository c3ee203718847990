"""The patient's treatment rows for their own download (accounts.exports.SECTIONS): plans with
their versions, scheduled doses with every outcome (corrections included), naloxone kits,
missed-dose alerts, their own escalation thresholds, concerns raised about them and their
monthly mood questionnaires. Only this patient's rows, read in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from apps.accounts.models import User
from apps.dosing.escalation_models import Alert, Concern, EscalationOverride, MoodCheck
from apps.dosing.models import DoseOutcome, NaloxoneKit, PlanVersion, ScheduledDose, TreatmentPlan


def dosing_export(*, patient: User) -> dict[str, list[dict[str, Any]]]:
    """Everything the dosing part holds about this patient."""
    versions: dict[int, list[dict[str, Any]]] = {}
    for v in PlanVersion.objects.filter(plan__patient=patient).order_by("plan_id", "number"):
        versions.setdefault(v.plan_id, []).append(
            {
                "number": v.number,
                "change": v.change,
                "schedule": v.schedule,
                "supervision_time": v.supervision_time,
                "time_zone": v.time_zone,
                "effective_from": v.effective_from,
                "treatment_start": v.treatment_start,
                "planned_review": v.planned_review,
                "planned_end": v.planned_end,
                "reason": v.reason,
                "created_at": v.created_at,
            }
        )
    outcomes: dict[int, list[dict[str, Any]]] = {}
    for o in DoseOutcome.objects.filter(dose__patient=patient).order_by("recorded_at", "pk"):
        outcomes.setdefault(o.dose_id, []).append(
            {
                "outcome": o.outcome,
                "taken_at": o.taken_at,
                "recorded_at": o.recorded_at,
                "late_reason": o.late_reason,
                "note": o.note,
                "is_current": o.is_current,
            }
        )
    return {
        "plans": [
            {
                "indication": p.indication,
                "alcohol_goal": p.alcohol_goal,
                "goal": p.goal,
                "status": p.status,
                "created_at": p.created_at,
                "ended_at": p.ended_at,
                "versions": versions.get(p.pk, []),
            }
            for p in TreatmentPlan.objects.filter(patient=patient).order_by("created_at", "pk")
        ],
        "doses": [
            {
                "due_at": d.due_at,
                "tablets": str(d.tablets),
                "mg": d.mg,
                "outcomes": outcomes.get(d.pk, []),
            }
            for d in ScheduledDose.objects.filter(patient=patient).order_by("due_at", "pk")
        ],
        "naloxone_kits": [
            dict(row)
            for row in NaloxoneKit.objects.filter(patient=patient)
            .order_by("recorded_at", "pk")
            .values("expires_on", "recorded_at")
        ],
        "alerts": [
            dict(row)
            for row in Alert.objects.filter(patient=patient)
            .order_by("created_at", "pk")
            .values("tier", "rule", "threshold", "created_at")
        ],
        "escalation_thresholds": [
            dict(row)
            for row in EscalationOverride.objects.filter(patient=patient)
            .order_by("set_at", "pk")
            .values("dose_late_hours", "dose_missed_after_hours", "reinduction_gap_days", "set_at")
        ],
        "concerns": [
            dict(row)
            for row in Concern.objects.filter(patient=patient)
            .order_by("created_at", "pk")
            .values("what_seen", "worry", "opioid_use_suspected", "created_at")
        ],
        "mood_checks": [
            dict(row)
            for row in MoodCheck.objects.filter(patient=patient)
            .order_by("submitted_at", "pk")
            .values("month", "answers", "phq9_total", "gad7_total", "submitted_at")
        ],
    }
