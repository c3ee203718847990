"""Demo escalation (after apps.dosing.demo): patient@'s missed doses produced a tier-1 reminder
and a tier-2 "unprotected" alert (its task already closed by the clinician), and supervisor@
has raised a concern that is still open. Safe to run again: a patient with alerts is left
alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.core.demo import Demo
from apps.dosing import concerns, escalation, selectors
from apps.dosing.escalation_models import RULE_TIER, Alert, Rule
from apps.dosing.models import DoseOutcome, Outcome
from apps.worklist.services import task_resolve


def seed(demo: Demo) -> None:
    patient = demo.people["patient@example.org"]
    supervisor = demo.people["supervisor@example.org"]
    clinician = demo.people["clinician@example.org"]
    plan = selectors.plan_open_for(patient_id=patient.pk)
    if plan is None or Alert.objects.filter(patient=patient).exists():
        return
    missed = list(
        DoseOutcome.objects.filter(
            dose__plan=plan, is_current=True, outcome=Outcome.MISSED
        ).select_related("dose")[:2]
    )
    # What the sweep raised at the time (the history was recorded after the fact, so the alerts
    # are written as the sweep wrote them then).
    recipients = [
        {"id": patient.pk, "role": "patient"},
        {"id": supervisor.pk, "role": "supervisor"},
    ]
    for row in missed:
        dose = row.dose
        previous = (
            DoseOutcome.objects.filter(dose__plan=plan, is_current=True, taken_at__lt=dose.due_at)
            .exclude(taken_at=None)
            .order_by("-taken_at")
            .first()
        )
        alerts = [
            Alert(
                patient=patient,
                plan=plan,
                dose=dose,
                tier=RULE_TIER[Rule.TIER1_LATE],
                rule=Rule.TIER1_LATE,
                key=f"dose:{dose.pk}",
                threshold="2 h after the due time",
                recipients=recipients,
                created_at=dose.due_at + dt.timedelta(hours=2),
            )
        ]
        if previous is not None:
            alerts.append(
                Alert(
                    patient=patient,
                    plan=plan,
                    dose=previous.dose,
                    tier=RULE_TIER[Rule.TIER2_UNPROTECTED],
                    rule=Rule.TIER2_UNPROTECTED,
                    key=f"outcome:{previous.pk}",
                    threshold="24 h after the last dose",
                    recipients=[{"id": clinician.pk, "role": "clinician"}, *recipients],
                    created_at=dose.due_at + dt.timedelta(hours=3),
                )
            )
        Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    for alert in Alert.objects.filter(patient=patient, delivered_at__isnull=True):
        delivered = escalation.alert_deliver(alert_id=alert.pk)
        if delivered.task is not None:
            task_resolve(actor=clinician, task=delivered.task, outcome_code="called_back")
    concerns.concern_raise(
        actor=supervisor,
        patient=patient,
        what_seen="Seemed very low this morning and said they had not slept for days.",
        worry="quite",
        now=timezone.now() - dt.timedelta(hours=3),
    )
    demo.say("patient@example.org: tier-1 and tier-2 alerts, one open supervisor concern")
