"""'Who has seen my record' reads as plain sentences, on the page and in the API: never as a
code such as "Intake.pathwaychanged" or "Recordviewed"."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from apps.audit import words
from apps.audit.services import audit_read, audit_record

APPS = Path(__file__).resolve().parents[2] / "apps"
# Actions about the clinic, not about one patient: they never appear on a patient's page.
NOT_ABOUT_A_PATIENT = {
    "accounts.clinical_lead_changed",
    "accounts.lockout_cleared",
    "audit.admin_list_viewed",
    "audit.log_viewed",
    "clinic.settings_changed",
    "clinic.thresholds_changed",
    "content.faq_category_created",
    "content.safety_published",
    "counselling.availability_added",
    "counselling.availability_removed",
    "counselling.exception_added",
    "counselling.exception_removed",
    "notifications.preferences_changed",
    "notifications.settled",  # recorded without a patient: the task's own event names them
    "read.caseload",  # synthetic load data only
}


def _source() -> str:
    return "\n".join(p.read_text() for p in APPS.rglob("*.py"))


def test_every_action_the_portal_records_has_words():
    actions = set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', _source()))
    assert actions, "the scan found no actions"
    missing = actions - words.ACTION_WORDS.keys() - words.READ_ACTIONS - NOT_ABOUT_A_PATIENT
    assert not missing, f"Add words for: {sorted(missing)}"


def test_every_part_of_the_record_read_has_words():
    parts = set(re.findall(r'what="([a-z_.]+)"', _source()))
    assert parts, "the scan found no reads"
    missing = {p for p in parts if words.read_words(p) == words.READ_FALLBACK}
    assert not missing, f"Add words for: {sorted(missing)}"


def test_the_page_says_what_happened_in_plain_sentences(client, clinician, patient):
    audit_read(actor=clinician, patient_id=patient.pk, what="treatment_plan")
    audit_read(actor=clinician, patient_id=patient.pk, what="intake_liver-test")
    audit_record(actor=clinician, action="intake.pathway_changed", patient=patient)
    audit_record(actor=None, action="worklist.task_raised", patient=patient)
    client.force_login(patient)
    page = client.get(reverse("accounts:disclosure-list")).content.decode()
    assert "Dr Clare Clinician (clinician) looked at your treatment plan." in page
    assert "Dr Clare Clinician (clinician) looked at your liver blood test result." in page
    assert "Dr Clare Clinician (clinician) moved your treatment to a new stage." in page
    assert "The portal added a task about your care to your clinician&#x27;s list." in page
    for code in ("Recordviewed", "pathwaychanged", "record_viewed", "treatment_plan", "Intake."):
        assert code not in page


def test_the_api_says_what_happened_in_a_sentence(client, clinician, patient):
    audit_read(actor=clinician, patient_id=patient.pk, what="treatment_plan")
    client.force_login(patient)
    body = client.get(reverse("api:accounts-api:disclosure-list")).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert rows[0]["what"] == "Dr Clare Clinician looked at your treatment plan."
    assert rows[0]["who"] == "Dr Clare Clinician"
    assert rows[0]["action"] == "audit.record_viewed"


def test_an_unknown_code_still_reads_as_a_sentence():
    assert words.read_words("something_new") == "looked at your record"
    assert words.read_words("admin:patientprofile") == (
        "opened your details in the clinic's admin pages"
    )
