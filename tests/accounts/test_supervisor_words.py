"""A supervisor reads about the arrangement in their own words: requests apart from the
arrangements in force, what happens next after saying yes, and the patient's dose schedule (not
"your dose schedule")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts import selectors
from tests.conftest import link_supervisor


def test_an_arrangement_in_force_is_not_listed_as_a_request(client, patient, supervisor, consent):
    assert list(selectors.consent_requests_for_supervisor(user=supervisor)) == []
    client.force_login(supervisor)
    page = client.get(reverse("core:supervisor-dashboard")).content.decode()
    assert "<h2>Requests</h2>" not in page
    assert "View the request" not in page


def test_a_new_supervisor_reads_what_happens_next(client, patient, supervisor, clinician):
    consent = link_supervisor(patient, supervisor, clinician, confirm=False)
    assert list(selectors.consent_requests_for_supervisor(user=supervisor)) == [consent]
    client.force_login(supervisor)
    page = client.get(reverse("core:supervisor-dashboard")).content.decode()
    assert "<h2>Requests</h2>" in page
    assert "Waiting for your clinician" not in page
    assert "You have said yes. Waiting for Pat Patient&#x27;s clinician to confirm." in page
    assert "you can record each dose you see them take" in page
    request_page = client.get(reverse("accounts:consent-respond", args=[consent.pk]))
    body = request_page.content.decode()
    assert "Waiting for your clinician" not in body
    assert "checks the arrangement and confirms it" in body


def test_a_supervisor_reads_the_patients_dose_schedule_not_their_own(
    client, patient, supervisor, consent
):
    client.force_login(supervisor)
    page = client.get(reverse("accounts:consent-detail", args=[consent.pk])).content.decode()
    assert "Your dose schedule" not in page  # not in the page, nor in the signed text
    assert "What will be shared: My dose schedule" in page
    assert "Pat Patient&#x27;s dose schedule and whether each dose was taken" in page
    assert "What you can see" in page
    client.force_login(patient)
    own = client.get(reverse("accounts:consent-detail", args=[consent.pk])).content.decode()
    assert "Your dose schedule and whether each dose was taken" in own


@pytest.mark.django_db
def test_the_supervisors_guidance_says_where_to_record_a_dose():
    from apps.content.models import FaqEntry

    entry = FaqEntry.objects.get(slug="supervisor-confirm-dose", language="en-gb")
    assert "On your home page, choose the person's name. Under \"Today's dose\"" in entry.answer
    assert "once the clinic has confirmed you as their supervisor" in entry.answer
    assert entry.versions.filter(version=entry.version, answer=entry.answer).exists()


def test_a_clinician_reads_that_the_confirmation_is_theirs(client, patient, supervisor, clinician):
    link_supervisor(patient, supervisor, clinician, confirm=False)
    client.force_login(clinician)
    page = client.get(reverse("accounts:patient-detail", args=[patient.pk])).content.decode()
    assert "Waiting for your clinician" not in page
    assert "The supervisor has said yes: waiting for you to confirm" in page
