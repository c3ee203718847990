"""Invitations: only the right roles invite, links are single use, expire, and are bound to the
invited address; the e-mail names no drug or diagnosis."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import Invitation, User
from apps.accounts.roles import Role
from apps.notifications.models import Delivery
from apps.notifications.tasks import send_delivery
from tests.conftest import PASSWORD

FORM = {
    "full_name": "New Person",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "time_zone": "Europe/London",
}


def invite(clinician, email="new@test.example"):
    return services.invitation_create(
        actor=clinician, email=email, full_name="New Person", role=Role.PATIENT
    )


def test_clinician_invites_a_patient_who_joins_their_caseload(client, clinician, mailoutbox):
    invitation = invite(clinician)
    url = reverse("accounts:invitation-accept", args=[services.invitation_token(invitation)])
    response = client.post(url, FORM)
    assert response.status_code == 302
    user = User.objects.get(email="new@test.example")
    assert user.role == Role.PATIENT
    assert user.patient_profile.responsible_clinician == clinician
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("role", [Role.PATIENT, Role.SUPERVISOR])
def test_patients_and_supervisors_cannot_invite_accounts(patient, supervisor, role):
    for actor in (patient, supervisor):
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                actor=actor, email="x@test.example", full_name="X", role=role
            )


def test_clinician_cannot_invite_staff(clinician):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=clinician, email="x@test.example", full_name="X", role=Role.STAFF
        )


def test_invitation_is_single_use(client, clinician):
    invitation = invite(clinician)
    url = reverse("accounts:invitation-accept", args=[services.invitation_token(invitation)])
    assert client.post(url, FORM).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    assert client.post(url, FORM).status_code == 404
    assert User.objects.filter(email="new@test.example").count() == 1


def test_invitation_expires_after_seven_days(client, clinician):
    invitation = invite(clinician)
    url = reverse("accounts:invitation-accept", args=[services.invitation_token(invitation)])
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        assert client.get(url).status_code == 404
        assert services.invitations_expire() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED


def test_a_tampered_token_opens_nothing(client, clinician):
    invitation = invite(clinician)
    token = services.invitation_token(invitation)
    bad = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert client.get(reverse("accounts:invitation-accept", args=[bad])).status_code == 404
    assert client.get(reverse("accounts:invitation-accept", args=["abc"])).status_code == 404


def test_account_is_bound_to_the_invited_address(client, clinician):
    invitation = invite(clinician)
    url = reverse("accounts:invitation-accept", args=[services.invitation_token(invitation)])
    client.post(url, {**FORM, "email": "attacker@test.example"})
    assert User.objects.filter(email="new@test.example").exists()
    assert not User.objects.filter(email="attacker@test.example").exists()


def test_weak_password_is_refused_with_a_message_and_nothing_created(client, clinician):
    invitation = invite(clinician)
    url = reverse("accounts:invitation-accept", args=[services.invitation_token(invitation)])
    response = client.post(url, {**FORM, "password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not User.objects.filter(email="new@test.example").exists()


def test_invitation_email_is_queued_after_commit_and_says_nothing_clinical(
    clinician, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite(clinician)
    assert len(callbacks) == 1
    delivery = Delivery.objects.get(notification__to_address="new@test.example")
    send_delivery(delivery.pk)
    message = mailoutbox[-1]
    assert message.to == ["new@test.example"]
    text = (message.subject + message.body).lower()
    for word in ("naltrexone", "opioid", "heroin", "alcohol", "addiction", "drug"):
        assert word not in text
    assert services.invitation_token(invitation) in message.body


def test_a_second_invitation_replaces_the_first(clinician):
    first = invite(clinician)
    second = invite(clinician)
    first.refresh_from_db()
    assert first.status == Invitation.Status.CANCELLED
    assert second.status == Invitation.Status.PENDING
