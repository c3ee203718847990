"""The naltrexone alert card: who may open it, what it says, the PDF, and the record of each
issue."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from apps.audit.models import AuditEvent
from apps.clinic.services import clinic_settings_update
from apps.content import cards, services
from apps.content.cards import CardDoseInfo, alert_card_build
from apps.content.models import AlertCardIssue, CardFormat


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def clinic(staff):
    return clinic_settings_update(actor=staff, name="Harbour Clinic", phone_24h="0161 496 0999")


def test_the_pdf_is_a_two_sided_card_with_the_name_and_the_clinic_contact(client, patient, clinic):
    client.force_login(patient)
    response = client.get(reverse("content:alert-card-pdf", args=[patient.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    pages, text = pdf_text(response.content)
    assert pages == 2
    flat = " ".join(text.split())
    for expected in (
        "Pat Patient",
        "I take naltrexone (an opioid blocker)",
        "Harbour Clinic",
        "0161 496 0999",
        "non-opioid or regional pain relief",
        "breathing failure",
        "not recorded yet",
    ):
        assert expected in flat, expected
    reader = PdfReader(BytesIO(response.content))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert round(width / 72 * 25.4, 1) == 85.6  # a bank card, in millimetres
    assert round(height / 72 * 25.4, 1) == 54.0


def test_the_printable_page_has_both_sides_and_a_print_stylesheet(client, patient, clinic):
    client.force_login(patient)
    page = client.get(reverse("content:alert-card", args=[patient.pk])).content.decode()
    assert page.count('class="alert-card"') == 2
    assert "css/alert-card.css" in page
    assert "Pat Patient" in page
    assert "0161 496 0999" in page
    assert "I take naltrexone (an opioid blocker)." in page


def test_each_issue_is_recorded_and_audited(client, patient, clinician) -> None:
    client.force_login(patient)
    client.get(reverse("content:alert-card", args=[patient.pk]))
    client.get(reverse("content:alert-card-pdf", args=[patient.pk]))
    client.force_login(clinician)
    client.get(reverse("content:alert-card-pdf", args=[patient.pk]))
    issues = list(AlertCardIssue.objects.order_by("pk").values_list("issued_by", "format"))
    assert issues == [
        (patient.pk, CardFormat.PAGE),
        (patient.pk, CardFormat.PDF),
        (clinician.pk, CardFormat.PDF),
    ]
    issued = AuditEvent.objects.filter(action="content.alert_card_issued", patient=patient)
    assert issued.count() == 3
    # The clinician's look at the patient's card is a read of the record; the patient's is not.
    reads = AuditEvent.objects.filter(action="audit.record_viewed", patient=patient)
    assert list(reads.values_list("actor", "detail")) == [(clinician.pk, {"what": "alert_card"})]


def test_the_patients_own_link_opens_their_card(client, patient) -> None:
    client.force_login(patient)
    response = client.get(reverse("content:alert-card-mine"))
    assert response["Location"] == reverse("content:alert-card", args=[patient.pk])


@pytest.mark.parametrize("persona", ["other_patient", "other_clinician"])
def test_strangers_cannot_see_that_a_card_exists(request, client, patient, persona) -> None:
    client.force_login(request.getfixturevalue(persona))
    for name in ("content:alert-card", "content:alert-card-pdf"):
        assert client.get(reverse(name, args=[patient.pk])).status_code == 404
    assert not AlertCardIssue.objects.exists()


@pytest.mark.parametrize("persona", ["supervisor", "staff"])
def test_supervisors_and_staff_are_refused(request, client, patient, consent, persona) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("content:alert-card-pdf", args=[patient.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["supervisor", "other_clinician", "other_patient"])
def test_the_service_refuses_anyone_else(request, patient, consent, persona) -> None:
    with pytest.raises(PermissionDenied):
        services.alert_card_issue(
            actor=request.getfixturevalue(persona), patient=patient, card_format=CardFormat.PDF
        )


def fake_dose_info(patient_id: int) -> CardDoseInfo:
    return CardDoseInfo(
        dose_and_schedule="100 mg (2 tablets) every second day",
        last_witnessed_at=datetime(2026, 10, 24, 8, 0, tzinfo=UTC),
        # Across the end of British Summer Time (Sunday 25 October 2026, 2:00am BST).
        blocked_until=datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    )


def test_the_dosing_app_fills_the_dose_lines_in_the_patients_time_zone(monkeypatch, patient):
    monkeypatch.setattr(cards, "DOSE_INFO_PROVIDER", "tests.content.test_alert_card.fake_dose_info")
    cards._provider.cache_clear()
    try:
        card = alert_card_build(patient=patient, issued_at=datetime(2026, 10, 24, tzinfo=UTC))
    finally:
        monkeypatch.undo()
        cards._provider.cache_clear()
    assert card.dose_and_schedule == "100 mg (2 tablets) every second day"
    assert card.last_witnessed == "Saturday 24 October 2026, 9:00am BST"
    assert card.blocked_until == "Monday 26 October 2026, 8:00am GMT"
    assert card.issued_on == "24 October 2026"


def test_until_the_dose_log_exists_the_card_says_not_recorded_yet(patient) -> None:
    card = alert_card_build(patient=patient, issued_at=datetime(2026, 10, 24, tzinfo=UTC))
    assert card.dose_and_schedule == card.last_witnessed == card.blocked_until
    assert card.blocked_until == "not recorded yet"


def test_the_issue_date_is_the_patients_own_date(patient) -> None:
    # 11:30pm UTC on 1 July is 12:30am on 2 July in London (British Summer Time).
    card = alert_card_build(patient=patient, issued_at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    assert card.issued_on == "2 July 2026"


def test_names_in_other_alphabets_print_in_the_pdf(client, patient, staff) -> None:
    from apps.accounts.services import profile_update

    profile_update(
        actor=patient,
        full_name="Łucja Żółć-Øyen Ξένια",
        preferred_name="",
        time_zone="Europe/London",
    )
    client.force_login(patient)
    response = client.get(reverse("content:alert-card-pdf", args=[patient.pk]))
    _pages, text = pdf_text(response.content)
    assert "Łucja Żółć-Øyen Ξένια" in text
