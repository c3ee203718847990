"""Supervisor consent: the patient invites and signs, the supervisor accepts, the clinician
confirms; revoking or expiry takes effect on the very next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from apps.accounts import access, services
from apps.accounts.models import Invitation, SupervisorConsent
from apps.accounts.roles import Role
from apps.audit.models import AuditEvent
from tests.conftest import PASSWORD, link_supervisor, make_user


def detail_url(patient) -> str:
    return reverse("accounts:supervised-patient-detail", args=[patient.pk])


def test_supervisor_sees_patient_only_after_clinician_confirms(
    client, patient, supervisor, clinician
):
    consent = link_supervisor(patient, supervisor, clinician, confirm=False)
    client.force_login(supervisor)
    assert consent.status == SupervisorConsent.Status.ACCEPTED
    assert client.get(detail_url(patient)).status_code == 404
    services.consent_confirm(actor=clinician, consent=consent)
    assert client.get(detail_url(patient)).status_code == 200


def test_revoked_consent_is_404_on_the_next_request(client, patient, supervisor, consent):
    client.force_login(supervisor)
    assert client.get(detail_url(patient)).status_code == 200
    patient_client = client.__class__()
    patient_client.force_login(patient)
    response = patient_client.post(
        reverse("accounts:consent-revoke", args=[consent.pk]), {"confirm": "end"}
    )
    assert response.status_code == 302
    assert client.get(detail_url(patient)).status_code == 404
    assert (
        client.get(reverse("core:supervisor-dashboard")).content.decode().count(patient.full_name)
        == 0
    )
    assert (
        AuditEvent.objects.filter(action="accounts.consent_revoked", patient=patient).count() == 1
    )


def test_expired_consent_is_404_on_the_next_request(client, patient, supervisor, clinician):
    expires = timezone.now() + timedelta(days=2)
    consent = services.consent_grant(
        actor=patient,
        supervisor_name=supervisor.full_name,
        supervisor_email=supervisor.email,
        relationship="cousin",
        expires_at=expires,
        signed=True,
    )
    services.invitation_accept_existing(actor=supervisor, invitation=consent.invitation)
    consent.refresh_from_db()
    services.consent_confirm(actor=clinician, consent=consent)
    with time_machine.travel(expires - timedelta(seconds=1), tick=False):
        client.force_login(supervisor)
        assert client.get(detail_url(patient)).status_code == 200
    with time_machine.travel(expires + timedelta(seconds=1), tick=False):
        client.force_login(supervisor)  # a fresh session: the idle limit is not what is tested
        assert client.get(detail_url(patient)).status_code == 404
        assert not access.can_supervise(supervisor, patient.pk)


def test_supervisor_cannot_see_another_patient(client, patient, other_patient, supervisor, consent):
    client.force_login(supervisor)
    assert client.get(detail_url(other_patient)).status_code == 404


def test_one_supervisor_can_support_several_patients(
    client, patient, other_patient, supervisor, clinician, other_clinician, consent
):
    link_supervisor(other_patient, supervisor, other_clinician)
    client.force_login(supervisor)
    page = client.get(reverse("core:supervisor-dashboard")).content.decode()
    assert patient.full_name in page
    assert other_patient.full_name in page


def test_patient_can_have_several_supervisors(patient, supervisor, stray_supervisor, clinician):
    link_supervisor(patient, supervisor, clinician)
    link_supervisor(patient, stray_supervisor, clinician)
    assert set(access.patients_visible_to(supervisor)) == {patient}
    assert set(access.patients_visible_to(stray_supervisor)) == {patient}


def test_consent_text_has_every_disclosure_element(patient, supervisor, consent):
    text = consent.consent_text
    for element in (
        patient.full_name,  # the patient's name
        "Riverside Health Centre",  # who discloses
        "dose schedule",  # what is disclosed
        supervisor.full_name,  # the named recipient
        "watch me take my doses",  # the purpose
        "end this consent at any time",  # revocation
        "when my treatment ends",  # expiry
        "Signed by",  # signature and date
    ):
        assert element in text, element


def test_patient_previews_then_signs_and_can_download(client, patient, mailoutbox):
    client.force_login(patient)
    data = {
        "supervisor_name": "Chris Friend",
        "supervisor_email": "chris@test.example",
        "relationship": "friend",
        "expires_on": "",
    }
    preview = client.post(reverse("accounts:consent-grant"), {**data, "preview": "1"})
    assert preview.status_code == 200
    assert "Chris Friend" in preview.content.decode()
    assert not SupervisorConsent.objects.exists()
    unsigned = client.post(reverse("accounts:consent-grant"), {**data, "sign": "1"})
    assert "Tick the box to sign" in unsigned.content.decode()
    assert not SupervisorConsent.objects.exists()
    signed = client.post(reverse("accounts:consent-grant"), {**data, "sign": "1", "signed": "on"})
    assert signed.status_code == 302
    consent = SupervisorConsent.objects.get()
    assert consent.status == SupervisorConsent.Status.INVITED
    download = client.get(reverse("accounts:consent-download", args=[consent.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert "Chris Friend" in download.content.decode()


def test_consent_form_rejects_bad_input_and_changes_nothing(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("accounts:consent-grant"),
        {
            "supervisor_name": "",
            "supervisor_email": "not-an-address",
            "relationship": "friend",
            "expires_on": "2001-01-01",
            "sign": "1",
            "signed": "on",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter an e-mail address in the right format, like name@example.org." in page
    assert "The end date must be after today" in page
    assert not SupervisorConsent.objects.exists()


def test_a_clinician_cannot_become_a_supervisor(patient, clinician):
    consent = services.consent_grant(
        actor=patient,
        supervisor_name="Doc",
        supervisor_email=clinician.email,
        relationship="friend",
        expires_at=None,
        signed=True,
    )
    with pytest.raises(PermissionDenied):
        services.invitation_accept_existing(actor=clinician, invitation=consent.invitation)
    consent.refresh_from_db()
    assert consent.status == SupervisorConsent.Status.INVITED


def test_only_the_responsible_clinician_confirms(patient, supervisor, clinician, other_clinician):
    consent = link_supervisor(patient, supervisor, clinician, confirm=False)
    with pytest.raises(PermissionDenied):
        services.consent_confirm(actor=other_clinician, consent=consent)


def test_new_supervisor_accepts_through_the_invitation_link(client, patient, clinician, mailoutbox):
    consent = services.consent_grant(
        actor=patient,
        supervisor_name="Robin Helper",
        supervisor_email="robin@test.example",
        relationship="aunt",
        expires_at=None,
        signed=True,
    )
    url = reverse(
        "accounts:invitation-accept", args=[services.invitation_token(consent.invitation)]
    )
    page = client.get(url)
    assert "Pat Patient has asked you to support them" in page.content.decode()
    response = client.post(
        url,
        {
            "full_name": "Robin Helper",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "Europe/London",
        },
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == SupervisorConsent.Status.ACCEPTED
    assert consent.supervisor is not None
    assert consent.supervisor.role == Role.SUPERVISOR
    assert client.get(url).status_code == 404  # single use


def test_supervisor_may_decline(client, patient, clinician):
    supervisor = make_user("decliner@test.example", Role.SUPERVISOR)
    consent = link_supervisor(patient, supervisor, clinician, confirm=False)
    client.force_login(supervisor)
    response = client.post(
        reverse("accounts:consent-respond", args=[consent.pk]), {"answer": "decline"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == SupervisorConsent.Status.DECLINED
    assert not Invitation.objects.filter(consent=consent, status="pending").exists()


def test_database_refuses_two_live_consents_for_the_same_pair(patient, supervisor, consent):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisorConsent.objects.create(
            patient=patient,
            supervisor=supervisor,
            supervisor_name="x",
            supervisor_email=supervisor.email,
            relationship="x",
            consent_text="x",
            consent_text_version="x",
            patient_signed_at=timezone.now(),
            starts_at=timezone.now(),
            supervisor_accepted_at=timezone.now(),
            status=SupervisorConsent.Status.ACCEPTED,
        )


def test_ending_a_consent_asks_first_and_says_what_ending_means(client, patient, consent):
    client.force_login(patient)
    detail = client.get(reverse("accounts:consent-detail", args=[consent.pk])).content.decode()
    url = reverse("accounts:consent-revoke", args=[consent.pk])
    assert f'href="{url}"' in detail  # a link to the confirmation page, not a one-click form
    page = client.get(url).content.decode()
    assert "End the arrangement with Sue Supervisor?" in page
    assert "stops supervising your doses straight away" in page
    assert 'name="confirm" value="end"' in page
    consent.refresh_from_db()
    assert consent.status == SupervisorConsent.Status.ACTIVE


def test_a_post_without_the_confirmation_ends_nothing(client, patient, consent):
    client.force_login(patient)
    response = client.post(reverse("accounts:consent-revoke", args=[consent.pk]))
    assert response.status_code == 400
    assert "Yes, end this arrangement" in response.content.decode()
    consent.refresh_from_db()
    assert consent.status == SupervisorConsent.Status.ACTIVE
    assert not AuditEvent.objects.filter(action="accounts.consent_revoked").exists()


def test_an_ended_consent_reads_as_ended_with_its_date(client, patient, consent):
    client.force_login(patient)
    response = client.post(
        reverse("accounts:consent-revoke", args=[consent.pk]), {"confirm": "end"}, follow=True
    )
    body = response.content.decode()
    assert "Arrangement ended. Sue Supervisor can no longer see your doses." in body
    consent.refresh_from_db()
    ended = timezone.localtime(consent.revoked_at).strftime("%A %-d %B %Y")
    assert f"This arrangement ended on {ended}." in body
    assert "lasts until your treatment ends" not in body
    detail = client.get(reverse("accounts:consent-detail", args=[consent.pk])).content.decode()
    assert "When treatment ends" not in detail
    assert "End this arrangement" not in detail
    again = client.get(reverse("accounts:consent-revoke", args=[consent.pk]))
    assert again.status_code == 302  # already ended: back to the consent, nothing to confirm


def test_a_clinician_ends_an_arrangement_through_the_same_confirmation(
    client, clinician, patient, consent
):
    client.force_login(clinician)
    page = client.get(reverse("accounts:consent-revoke", args=[consent.pk])).content.decode()
    assert "stops supervising Pat Patient's doses straight away" in page
    response = client.post(
        reverse("accounts:consent-revoke", args=[consent.pk]), {"confirm": "end"}
    )
    assert response["Location"] == reverse("accounts:patient-detail", args=[patient.pk])
    consent.refresh_from_db()
    assert consent.status == SupervisorConsent.Status.REVOKED
