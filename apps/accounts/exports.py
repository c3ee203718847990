"""Everything the portal holds about a patient, for the patient to download (UK GDPR right of
access), on the web and through the API.

Each part of the portal adds its own section: append `"<section>": "<dotted path>"` to
`SECTIONS`, a function `(*, patient) -> dict | list` that reads only that patient's rows. This
module (in the ground layer) never imports the feature apps' models.
tests/api/test_export.py fails when a model that holds a patient's rows has no section."""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

from apps.accounts.models import SupervisorConsent, User
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.audit.words import event_sentence

SECTIONS: dict[str, str] = {
    "intake": "apps.intake.selectors.intake_export",
    "tasks": "apps.worklist.selectors.tasks_export",
    "safety_and_alert_cards": "apps.content.selectors.content_export",
    "notifications": "apps.notifications.selectors.notifications_export",
    "counselling": "apps.counselling.selectors.counselling_export",
    "treatment": "apps.dosing.exports.dosing_export",
}


def patient_export(*, patient: User, form: str = "json") -> dict[str, Any]:
    """The patient's own record as plain data. Every reading of it is audited, with the form it
    was read in: the data file ("json"), the page ("page") or the PDF ("pdf")."""
    profile = getattr(patient, "patient_profile", None)
    data: dict[str, Any] = {
        "account": {
            "email": patient.email,
            "full_name": patient.full_name,
            "preferred_name": patient.preferred_name,
            "time_zone": patient.time_zone,
            "joined": patient.date_joined,
            "responsible_clinician": (
                profile.responsible_clinician.full_name if profile is not None else None
            ),
        },
        "supervisor_consents": [
            {
                "supervisor_name": c.supervisor_name,
                "supervisor_email": c.supervisor_email,
                "relationship": c.relationship,
                "status": c.status,
                "scope": c.scope,
                "signed_at": c.patient_signed_at,
                "starts_at": c.starts_at,
                "expires_at": c.expires_at,
                "confirmed_at": c.confirmed_at,
                "revoked_at": c.revoked_at,
                "consent_text": c.consent_text,
            }
            for c in SupervisorConsent.objects.filter(patient=patient).order_by("created_at")
        ],
        "record_access": [
            {
                "when": e.at,
                "who": e.actor.full_name if e.actor else "The portal",
                "role": e.actor_role,
                "action": e.action,
                "what": event_sentence(e),
            }
            for e in AuditEvent.objects.filter(patient=patient)
            .select_related("actor")
            .order_by("at")
        ],
    }
    for section, path in SECTIONS.items():
        data[section] = import_string(path)(patient=patient)
    audit_record(
        actor=patient, action="accounts.record_exported", target=patient, detail={"format": form}
    )
    return data
