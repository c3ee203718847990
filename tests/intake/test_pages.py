"""Every questionnaire step and every clinician form renders, and the full review page renders
with every kind of record on file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.intake import services
from apps.intake.questionnaire import STEP_KEYS
from apps.intake.views import RECORDS
from tests.intake.conftest import fill, reauthenticate, record_clean_tests


def test_every_step_renders(client, patient):
    services.questionnaire_step_save(
        actor=patient, step="audit_c", answers={"audit_1": 4, "audit_2": 4, "audit_3": 4}
    )
    client.force_login(patient)
    for key in STEP_KEYS:
        response = client.get(reverse("intake:step", args=[key]))
        assert response.status_code == 200, key
        assert "Save and continue" in response.content.decode()


def test_an_unknown_step_is_404(client, patient):
    client.force_login(patient)
    assert client.get(reverse("intake:step", args=["nope"])).status_code == 404


@pytest.mark.parametrize("kind", list(RECORDS))
def test_every_record_form_renders(client, patient, clinician, kind):
    client.force_login(clinician)
    assert client.get(reverse("intake:record", args=[patient.pk, kind])).status_code == 200


def test_an_unknown_record_kind_is_404(client, patient, clinician):
    client.force_login(clinician)
    assert client.get(reverse("intake:record", args=[patient.pk, "x"])).status_code == 404


def test_full_review_and_decide_pages_render(client, patient, clinician):
    fill(patient)
    record_clean_tests(clinician, patient)
    services.procedure_record(
        actor=clinician,
        patient=patient,
        description="Wisdom tooth removal",
        planned_on=None,
        opioid_pain_relief_expected=True,
    )
    client.force_login(clinician)
    review = client.get(reverse("intake:review", args=[patient.pk])).content.decode()
    assert "Wisdom tooth removal" in review
    assert "plan a pause" in review
    decide = client.get(reverse("intake:decide", args=[patient.pk])).content.decode()
    assert "Record: eligible" in decide
    reauthenticate(client, clinician)
    page = client.get(reverse("intake:override", args=[patient.pk, "liver"]))
    assert page.status_code == 200
    assert client.get(reverse("intake:override", args=[patient.pk, "nope"])).status_code == 404


def test_the_support_form_starts_from_what_is_recorded(client, patient, clinician):
    services.support_record(
        actor=clinician, patient=patient, clinic_supervision=True, counselling_plan="outside"
    )
    client.force_login(clinician)
    body = client.get(reverse("intake:record", args=[patient.pk, "support"])).content.decode()
    assert 'name="clinic_supervision" id="id_clinic_supervision" checked' in body
    assert '<option value="outside" selected>' in body
