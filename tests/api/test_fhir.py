"""The FHIR bundle: valid FHIR R4 (checked by the fhir.resources library, R4B models: the R4
family's resources used here are unchanged in R4B), every reference resolves inside the bundle,
and nothing of another patient is in it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from apps.audit.models import AuditEvent
from tests.intake.conftest import fill, record_clean_tests


def bundle_url(pk: int) -> str:
    return reverse("api:patients-api:patient-fhir", kwargs={"patient_id": pk})


@pytest.fixture
def full_record(patient, clinician, consent, other_patient, other_clinician, other_consent):
    fill(patient)
    record_clean_tests(clinician, patient)
    fill(other_patient)
    record_clean_tests(other_clinician, other_patient)
    return patient


def references(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                found.append(value)
            else:
                found += references(value)
    elif isinstance(node, list):
        for item in node:
            found += references(item)
    return found


def test_the_bundle_is_valid_fhir_with_every_resource_type_so_far(client, clinician, full_record):
    client.force_login(clinician)
    response = client.get(bundle_url(full_record.pk))
    assert response.status_code == 200
    data = response.json()

    Bundle.model_validate(data)
    for entry in data["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)

    types = {e["resource"]["resourceType"] for e in data["entry"]}
    assert types == {"Patient", "Consent", "QuestionnaireResponse", "Observation"}
    observations = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    categories = {o["category"][0]["coding"][0]["code"] for o in observations}
    assert {"survey", "laboratory"} <= categories
    phq9 = [o for o in observations if o["code"].get("coding", [{}])[0].get("code") == "44261-6"]
    assert len(phq9) == 1

    full_urls = {e["fullUrl"] for e in data["entry"]}
    assert len(full_urls) == len(data["entry"])
    assert set(references(data)) <= full_urls

    assert AuditEvent.objects.filter(
        actor=clinician,
        patient=full_record,
        action="audit.record_viewed",
        detail__what="fhir_bundle",
    ).exists()


def test_the_bundle_holds_nothing_of_another_patient(client, patient, full_record, other_patient):
    client.force_login(patient)
    text = json.dumps(client.get(bundle_url(patient.pk)).json())
    assert other_patient.email not in text
    assert other_patient.full_name not in text
    assert "Stan Stray" not in text  # the other patient's supervisor
    ids = [
        e["resource"]["id"]
        for e in json.loads(text)["entry"]
        if e["resource"]["resourceType"] == "Patient"
    ]
    assert ids == [str(patient.pk)]


def test_a_patient_without_a_questionnaire_still_gets_a_valid_bundle(client, patient):
    client.force_login(patient)
    data = client.get(bundle_url(patient.pk)).json()
    Bundle.model_validate(data)
    assert [e["resource"]["resourceType"] for e in data["entry"]] == ["Patient"]
