"""FHIR resources from dosing: a MedicationRequest for each schedule version of the patient's
plans, and a MedicationAdministration for each dose outcome on record (the current one of each
dose; a corrected record is replaced by its correction)."""

from __future__ import annotations

from typing import Any

from apps.accounts.models import User
from apps.api.fhir import Context, instant
from apps.dosing.models import (
    TAKEN_OUTCOMES,
    DoseOutcome,
    Outcome,
    PlanStatus,
    PlanVersion,
)
from apps.dosing.schedule import describe

Found = list[tuple[object, dict[str, Any]]]

NALTREXONE: dict[str, Any] = {
    "coding": [{"system": "http://www.whocc.no/atc", "code": "N07BB04", "display": "naltrexone"}],
    "text": "Naltrexone hydrochloride 50 mg tablets",
}
BY_MOUTH = {"text": "By mouth"}
# The newest dosing version of a plan, by the plan's state.
NEWEST_STATUS: dict[str, str] = {
    PlanStatus.ACTIVE: "active",
    PlanStatus.PAUSED: "on-hold",
    PlanStatus.STOPPED: "stopped",
    PlanStatus.DISCHARGED: "completed",
}
# Taken doses were given; refused and missed were not; vomited or spat out was given but stopped
# short (how much was absorbed is unknown).
ADMINISTRATION_STATUS: dict[str, str] = {
    Outcome.WITNESSED: "completed",
    Outcome.SELF_REPORTED: "completed",
    Outcome.REFUSED: "not-done",
    Outcome.MISSED: "not-done",
    Outcome.VOMITED: "stopped",
}


def _request(
    version: PlanVersion, *, newest: bool, prior: PlanVersion | None, ctx: Context
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": str(version.pk),
        "status": NEWEST_STATUS.get(version.plan.status, "unknown") if newest else "completed",
        "intent": "order",
        "medicationCodeableConcept": NALTREXONE,
        "subject": {"reference": ctx.patient_ref},
        "authoredOn": instant(version.created_at),
        "requester": {"display": version.created_by.full_name},
        "dosageInstruction": [
            {
                "text": describe(version.schedule, supervision_time=version.supervision_time)
                + (" (25 mg on the first day)" if version.induction_first else ""),
                "route": BY_MOUTH,
            }
        ],
        "dispenseRequest": {"validityPeriod": {"start": version.effective_from.isoformat()}},
    }
    if version.reason:
        resource["note"] = [{"text": version.reason}]
    if prior is not None:
        resource["priorPrescription"] = {"reference": ctx.ref("MedicationRequest", prior.pk)}
    return resource


def _administration(outcome: DoseOutcome, ctx: Context) -> dict[str, Any]:
    dose = outcome.dose
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": str(outcome.pk),
        "status": ADMINISTRATION_STATUS[outcome.outcome],
        "medicationCodeableConcept": NALTREXONE,
        "subject": {"reference": ctx.patient_ref},
        "effectiveDateTime": instant(outcome.taken_at or dose.due_at),
        "performer": [{"actor": {"display": outcome.recorded_by.full_name}}],
        "request": {"reference": ctx.ref("MedicationRequest", dose.version_id)},
        "dosage": {
            "route": BY_MOUTH,
            "dose": {
                "value": dose.mg,
                "unit": "mg",
                "system": "http://unitsofmeasure.org",
                "code": "mg",
            },
        },
    }
    if outcome.outcome not in TAKEN_OUTCOMES:
        resource["statusReason"] = [{"text": outcome.get_outcome_display()}]
    notes = [n for n in (outcome.note, outcome.late_reason) if n]
    if outcome.outcome == Outcome.WITNESSED:
        notes.insert(0, "Witnessed")
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    return resource


def resources_for(*, patient: User, ctx: Context) -> Found:
    versions = list(
        PlanVersion.objects.filter(plan__patient=patient)
        .select_related("plan", "created_by")
        .order_by("plan__created_at", "plan_id", "number")
    )
    found: Found = []
    dosing = [v for v in versions if v.schedules_doses]
    for index, version in enumerate(dosing):
        later = dosing[index + 1 :]
        newest = not any(v.plan_id == version.plan_id for v in later)
        earlier = [v for v in dosing[:index] if v.plan_id == version.plan_id]
        prior = earlier[-1] if earlier else None
        found.append((version.pk, _request(version, newest=newest, prior=prior, ctx=ctx)))
    outcomes = (
        DoseOutcome.objects.filter(dose__patient=patient, is_current=True)
        .select_related("dose", "recorded_by")
        .order_by("dose__due_at", "pk")
    )
    found += [(o.pk, _administration(o, ctx)) for o in outcomes]
    return found
