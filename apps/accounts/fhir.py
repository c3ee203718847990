"""FHIR resources for a patient's account: Patient, and a Consent per supervisor arrangement."""

from __future__ import annotations

from typing import Any

from apps.accounts.models import SupervisorConsent, User
from apps.api.fhir import Context, day, instant

# FHIR R4 Consent.status for each of our consent states.
CONSENT_STATUS: dict[str, str] = {
    SupervisorConsent.Status.INVITED: "proposed",
    SupervisorConsent.Status.ACCEPTED: "proposed",
    SupervisorConsent.Status.ACTIVE: "active",
    SupervisorConsent.Status.DECLINED: "rejected",
    SupervisorConsent.Status.REVOKED: "inactive",
}


def _patient(patient: User, ctx: Context) -> dict[str, Any]:
    profile = getattr(patient, "patient_profile", None)
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "identifier": [{"system": f"{ctx.system}/patient", "value": str(patient.pk)}],
        "active": patient.is_active,
        "name": [{"text": patient.full_name}],
        "telecom": [{"system": "email", "value": patient.email, "use": "home"}],
    }
    if patient.preferred_name:
        resource["name"].append({"use": "usual", "text": patient.preferred_name})
    if profile is not None:
        if profile.date_of_birth:
            resource["birthDate"] = day(profile.date_of_birth)
        resource["generalPractitioner"] = [{"display": profile.responsible_clinician.full_name}]
    return resource


def _consent(consent: SupervisorConsent, ctx: Context) -> dict[str, Any]:
    period: dict[str, str] = {"start": instant(consent.starts_at)}
    end = consent.revoked_at or consent.expires_at
    if end is not None:
        period["end"] = instant(end)
    return {
        "resourceType": "Consent",
        "id": str(consent.pk),
        "status": CONSENT_STATUS.get(consent.status, "inactive"),
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                }
            ]
        },
        "category": [
            {
                "coding": [{"system": "http://loinc.org", "code": "59284-0"}],
                "text": "Consent to share dose schedule and dose outcomes with a supervisor",
            }
        ],
        "patient": {"reference": ctx.patient_ref},
        "dateTime": instant(consent.patient_signed_at),
        "policyRule": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}
            ]
        },
        "provision": {
            "type": "permit",
            "period": period,
            "actor": [
                {
                    "role": {"text": f"Supervisor ({consent.relationship})"},
                    "reference": {"display": consent.supervisor_name},
                }
            ],
            "purpose": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                    "code": "TREAT",
                    "display": "treatment",
                }
            ],
        },
    }


def resources_for(*, patient: User, ctx: Context) -> list[tuple[object, dict[str, Any]]]:
    found: list[tuple[object, dict[str, Any]]] = [(patient.pk, _patient(patient, ctx))]
    consents = SupervisorConsent.objects.filter(patient=patient).order_by("created_at", "pk")
    found += [(c.pk, _consent(c, ctx)) for c in consents]
    return found
