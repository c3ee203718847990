"""Staff onboard clinicians and staff from the portal: a staff-only page, audited, sending the same
single-use, expiring invitation bound to one address as patients and supervisors get; a clinician
can start as a clinical lead; and a new clinician or staff member sets up two-factor sign-in
before anything else."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import Invitation, User
from apps.accounts.roles import Role
from apps.audit.models import AuditEvent
from apps.notifications.models import Delivery
from tests.conftest import PASSWORD

ACCEPT = {
    "full_name": "Dr New Person",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "time_zone": "Europe/London",
}


def _invite_page(client, staff, **data):
    client.force_login(staff)
    form = {"full_name": "Dr New Person", "email": "new.clinician@test.example"}
    form.update(data)
    return client.post(reverse("accounts:staff-invite"), form)


def _accept(client, invitation):
    client.logout()
    url = reverse("accounts:invitation-accept", args=[services.invitation_token(invitation)])
    return client.post(url, ACCEPT), url


def test_staff_invite_a_clinical_lead_who_must_set_up_two_factor_first(client, staff):
    response = _invite_page(client, staff, role="clinician", is_clinical_lead="on")
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.clinician@test.example")
    assert (invitation.role, invitation.is_clinical_lead) == (Role.CLINICIAN, True)
    sent = AuditEvent.objects.get(action="accounts.invitation_sent", actor=staff)
    assert sent.detail == {"role": "clinician", "is_lead": True}
    assert Delivery.objects.filter(notification__to_address="new.clinician@test.example").exists()

    client.logout()
    page = client.get(
        reverse("accounts:invitation-accept", args=[services.invitation_token(invitation)])
    )
    assert "authenticator app" in page.content.decode()
    response, url = _accept(client, invitation)
    user = User.objects.get(email="new.clinician@test.example")
    assert (user.role, user.is_clinical_lead, user.is_staff) == (Role.CLINICIAN, True, False)
    # Straight to setting up the authenticator, without typing the new password again.
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    # Nothing else opens until it is set up.
    for name in ("core:clinician-dashboard", "accounts:caseload", "clinic:thresholds"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("mfa_activate_totp"), name
    # Single use.
    client.logout()
    assert client.get(url).status_code == 404


def test_staff_invite_staff_who_reach_the_admin_only_after_two_factor(client, staff):
    _invite_page(client, staff, role="staff", email="new.staff@test.example")
    invitation = Invitation.objects.get(email="new.staff@test.example")
    response, _ = _accept(client, invitation)
    user = User.objects.get(email="new.staff@test.example")
    assert (user.role, user.is_staff, user.is_clinical_lead) == (Role.STAFF, True, False)
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_a_clinician_is_not_a_clinical_lead_unless_chosen(client, staff):
    _invite_page(client, staff, role="clinician")
    invitation = Invitation.objects.get(email="new.clinician@test.example")
    _accept(client, invitation)
    assert User.objects.get(email="new.clinician@test.example").is_clinical_lead is False


def test_only_a_clinician_can_be_invited_as_clinical_lead(client, staff):
    response = _invite_page(client, staff, role="staff", is_clinical_lead="on")
    assert response.status_code == 200
    assert "Only a clinician can be a clinical lead." in response.content.decode()
    assert not Invitation.objects.exists()
    with pytest.raises(Exception, match="Only a clinician can be a clinical lead"):
        services.invitation_create(
            actor=staff,
            email="x@test.example",
            full_name="X",
            role=Role.STAFF,
            is_clinical_lead=True,
        )


def test_an_unknown_role_is_refused_with_a_message(client, staff):
    response = _invite_page(client, staff, role="superuser")
    assert response.status_code == 200
    assert "Choose clinician or clinic staff." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_clinician_cannot_invite_a_clinical_lead(clinician):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=clinician,
            email="x@test.example",
            full_name="X",
            role=Role.PATIENT,
            is_clinical_lead=True,
        )


def test_the_database_refuses_a_clinical_lead_invitation_for_staff(staff):
    invitation = services.invitation_create(
        actor=staff, email="x@test.example", full_name="X", role=Role.STAFF
    )
    invitation.is_clinical_lead = True
    with pytest.raises(IntegrityError), transaction.atomic():
        invitation.save()


def test_an_existing_address_is_refused_next_to_the_field(client, staff, clinician):
    response = _invite_page(client, staff, role="clinician", email=clinician.email)
    assert response.status_code == 200
    assert "There is already an account with this e-mail address." in response.content.decode()


def test_every_admin_page_leads_to_the_invitation_page(client, staff):
    client.force_login(staff)
    for url in ("/admin/", "/admin/accounts/user/", "/admin/accounts/invitation/"):
        html = client.get(url).content.decode()
        assert f'href="{reverse("accounts:staff-invite")}"' in html, url
