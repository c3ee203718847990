"""Care links are asked of access.py alone: a deactivated patient disappears everywhere, and a
supervisor sees a consent only while it is in force (an ended one: a plain page saying so)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts import access, selectors, services
from apps.accounts.models import User
from apps.worklist.selectors import task_list_for
from tests.test_access_matrix import EXPECTED


def test_a_deactivated_patient_disappears_everywhere(client, world):
    patient = world.personas["patient"]
    assert patient is not None
    User.objects.filter(pk=patient.pk).update(is_active=False)
    patient.refresh_from_db()

    for persona in ("supervisor", "clinician", "staff"):
        user = world.personas[persona]
        assert not access.can_view_patient(user, patient.pk)
        assert patient not in access.patients_visible_to(user)
        assert not access.consents_visible_to(user).filter(patient=patient).exists()
    clinician = world.personas["clinician"]
    assert not task_list_for(user=clinician).filter(patient=patient).exists()
    assert not selectors.consents_to_confirm_for(user=clinician).filter(patient=patient).exists()

    # Every page, as everyone who was linked to them: their name is nowhere.
    for persona in ("supervisor", "clinician", "staff"):
        client.force_login(world.personas[persona])
        for name, statuses in EXPECTED.items():
            if statuses[persona] != 200:
                continue
            response = client.get(world.reverse(name))
            assert patient.full_name not in response.content.decode(errors="replace"), (
                persona,
                name,
                response.status_code,
            )


def test_staff_cannot_reassign_a_deactivated_patient(client, world):
    patient = world.personas["patient"]
    User.objects.filter(pk=patient.pk).update(is_active=False)
    client.force_login(world.personas["staff"])
    url = reverse("accounts:patient-reassign", args=[patient.pk])
    assert client.get(url).status_code == 404


@pytest.fixture
def ended(consent, patient):
    services.consent_revoke(actor=patient, consent=consent)
    return consent


@pytest.mark.parametrize(
    "route", ["accounts:consent-detail", "accounts:consent-download", "accounts:consent-respond"]
)
def test_a_supervisor_sees_only_that_an_ended_consent_has_ended(
    client, supervisor, patient, ended, route
):
    client.force_login(supervisor)
    response = client.get(reverse(route, args=[ended.pk]))
    assert response.status_code == 410
    body = response.content.decode()
    assert "This arrangement has ended" in body
    assert patient.full_name not in body
    assert ended.consent_text not in body


def test_a_stray_supervisor_still_gets_not_found_for_someone_elses_consent(
    client, stray_supervisor, ended
):
    client.force_login(stray_supervisor)
    assert client.get(reverse("accounts:consent-detail", args=[ended.pk])).status_code == 404


def test_the_dashboard_lists_no_ended_or_expired_consent(
    client, patient, supervisor, clinician, ended
):
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
    # In force: listed with the people they support, not as a request.
    with time_machine.travel(expires - timedelta(seconds=1), tick=False):
        assert list(selectors.supervised_patient_list_for(user=supervisor)) == [patient]
        assert list(selectors.consent_requests_for_supervisor(user=supervisor)) == []
    with time_machine.travel(expires + timedelta(seconds=1), tick=False):
        assert list(selectors.supervised_patient_list_for(user=supervisor)) == []
        assert list(selectors.consent_requests_for_supervisor(user=supervisor)) == []
        client.force_login(supervisor)
        body = client.get(reverse("core:supervisor-dashboard")).content.decode()
        assert patient.full_name not in body
        assert client.get(reverse("accounts:consent-detail", args=[consent.pk])).status_code == 410
