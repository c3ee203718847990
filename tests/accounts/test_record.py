"""'Download my record': a readable page (summary lists by section, plain words) and a PDF beside
the machine-readable file; each reading is audited like the download."""

from __future__ import annotations

import re

from django.urls import reverse

from apps.audit.models import AuditEvent
from tests.api.test_export import _rich_record


def test_the_record_page_reads_in_plain_words(client, patient, clinician, supervisor):
    _rich_record(patient, clinician, supervisor)
    client.force_login(patient)
    response = client.get(reverse("accounts:record"))
    assert response.status_code == 200
    page = response.content.decode()
    for title in (
        "Your account",
        "Your supervisors",
        "Who has seen or changed your record",
        "Your questionnaire, tests and the decision to start",
        "Your treatment and doses",
        "Safety messages and alert cards",
    ):
        assert f">{title}</h2>" in page, title
    assert 'class="summary-list"' in page
    assert "Sue Supervisor" in page
    assert "Dr Clare Clinician confirmed your supervisor." in page
    assert reverse("accounts:record-pdf") in page
    assert reverse("accounts:data-export") in page
    # No raw timestamps or codes where people read
    text = re.sub(r"<[^>]+>", " ", page)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)
    for code in ("record_viewed", "supervisor_consents", "signed_at", "True", "None,"):
        assert code not in text, code


def test_the_record_pdf_is_a_pdf_with_the_patients_name(client, patient, clinician, supervisor):
    _rich_record(patient, clinician, supervisor)
    client.force_login(patient)
    response = client.get(reverse("accounts:record-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="my-record-')
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 5000


def test_each_way_of_reading_the_record_is_audited(client, patient):
    client.force_login(patient)
    for name, form in (
        ("accounts:record", "page"),
        ("accounts:record-pdf", "pdf"),
        ("accounts:data-export", "json"),
    ):
        before = AuditEvent.objects.filter(action="accounts.record_exported").count()
        assert client.get(reverse(name)).status_code == 200
        events = AuditEvent.objects.filter(action="accounts.record_exported")
        assert events.count() == before + 1
        assert events.latest("id").detail == {"format": form}


def test_the_record_page_is_only_the_patients_own(client, patient, other_patient, clinician):
    client.force_login(other_patient)
    page = client.get(reverse("accounts:record")).content.decode()
    assert "Pat Patient" not in page
    assert "Olive Other" in page
    client.force_login(clinician)
    assert client.get(reverse("accounts:record")).status_code == 403


def test_the_record_pdf_takes_names_that_look_like_markup(client, patient):
    # The PDF's paragraphs read a little markup: a name with <, > or & must print as written.
    patient.full_name = "Pat <b>O'Neil & Sons"
    patient.save(update_fields=["full_name"])
    client.force_login(patient)
    response = client.get(reverse("accounts:record-pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
