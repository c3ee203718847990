"""People read as their name wherever the portal, allauth or the admin shows a user: never as
"User #3"."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from apps.accounts.models import Invitation, PatientProfile
from tests.conftest import PASSWORD


def test_a_user_reads_as_their_name(patient, consent):
    assert str(patient) == "Pat Patient"
    assert str(PatientProfile.objects.get(user=patient)) == "Pat Patient"
    assert str(consent) == "Sue Supervisor supervising Pat Patient"
    invitation = Invitation.objects.filter(consent=consent).get()
    assert str(invitation) == "Invitation for Sue Supervisor"


def test_the_sign_in_message_names_the_person(client, patient):
    patient.preferred_name = "Pat"
    patient.save(update_fields=["preferred_name"])
    response = client.post(reverse("account_login"), {"login": patient.email, "password": PASSWORD})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("signed in as Pat." in t for t in texts), texts
    assert not any("#" in t for t in texts)


def test_admin_lists_name_people(client, staff, patient, consent):
    client.force_login(staff)
    for name in (
        "admin:accounts_patientprofile_changelist",
        "admin:accounts_supervisorconsent_changelist",
        "admin:accounts_invitation_changelist",
    ):
        page = client.get(reverse(name)).content.decode()
        assert "#" + str(patient.pk) not in page
        assert "Pat Patient" in page or "Sue Supervisor" in page, name
    page = client.get(reverse("admin:accounts_supervisorconsent_changelist")).content.decode()
    assert "Pat Patient" in page
    assert "Sue Supervisor" in page
    change = client.get(reverse("admin:accounts_supervisorconsent_change", args=[consent.pk]))
    assert "Sue Supervisor supervising Pat Patient" in change.content.decode()


def test_admin_lists_of_a_patients_records_name_the_patient(client, staff, patient):
    from apps.content.models import CardFormat
    from apps.content.services import alert_card_issue
    from tests.intake.conftest import acknowledge_safety

    acknowledge_safety(patient)
    alert_card_issue(actor=patient, patient=patient, card_format=CardFormat.PAGE)
    client.force_login(staff)
    for name in (
        "admin:content_safetyacknowledgement_changelist",
        "admin:content_alertcardissue_changelist",
    ):
        page = client.get(reverse(name)).content.decode()
        assert "Pat Patient" in page, name
