"""A patient's record as a FHIR R4 Bundle (type `collection`), for the clinic's other systems
and for the patient's own copy.

Each part of the portal contributes its resources: append a dotted path to `PROVIDERS`, a
function `(*, patient, ctx) -> list[dict]` returning FHIR resources as plain JSON. Today:
Patient and Consent (accounts), QuestionnaireResponse and Observation (intake),
MedicationRequest and MedicationAdministration (dosing), Appointment (counselling).
Tests validate the bundle with the `fhir.resources` library."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.accounts.models import User

PROVIDERS: list[str] = [
    "apps.accounts.fhir.resources_for",
    "apps.intake.fhir.resources_for",
    "apps.dosing.fhir.resources_for",
    "apps.counselling.fhir.resources_for",
]

# A stable namespace: the same row always gets the same urn:uuid, in every bundle.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "naltrexone-portal/fhir")


@dataclass(frozen=True)
class Context:
    patient_ref: str
    system: str

    def ref(self, resource_type: str, key: object) -> str:
        return full_url(resource_type, key)


def full_url(resource_type: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{resource_type}/{key}')}"


def instant(value: datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def day(value: date) -> str:
    return value.isoformat()


def patient_bundle(*, patient: User) -> dict[str, Any]:
    """The Bundle: one entry per resource, each with a urn:uuid fullUrl that references use."""
    ctx = Context(patient_ref=full_url("Patient", patient.pk), system=f"{settings.SITE_URL}/fhir")
    entries: list[dict[str, Any]] = []
    for path in PROVIDERS:
        for key, resource in import_string(path)(patient=patient, ctx=ctx):
            entries.append(
                {"fullUrl": full_url(resource["resourceType"], key), "resource": resource}
            )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(timezone.now()),
        "entry": entries,
    }
