"""Safety messages: acknowledgement (stored, audited), a new version asks again at the next
sign-in, the dashboard reminder, and publishing by staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.content import selectors, services
from apps.content.models import SafetyAcknowledgement
from apps.content.safety_gate import SESSION_KEY
from apps.core.exceptions import ServiceError
from tests.conftest import PASSWORD
from tests.content.conftest import current_version


def new_wording(tag: str = "") -> list[dict[str, str]]:
    current = current_version()
    assert current is not None
    return [{**m, "body": m["body"] + tag} for m in current.messages]


def sign_in(client, user):
    """Sign in through the real allauth sign-in form, as a person does."""
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


# --- Services -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_version_2_is_published_by_the_migrations() -> None:
    current = current_version()
    assert current is not None
    assert current.version == "2"
    assert [m["key"] for m in current.messages] == [
        "withdrawal",
        "blockade",
        "tolerance",
        "pain_relief",
        "side_effects",
    ]


def test_an_acknowledgement_is_stored_and_audited(patient) -> None:
    assert not selectors.has_acknowledged_current_safety(patient_id=patient.pk)
    version = current_version()
    ack = services.safety_acknowledge(actor=patient, version=version)
    assert (ack.patient, ack.version) == (patient, version)
    assert ack.acknowledged_at is not None
    assert selectors.has_acknowledged_current_safety(patient_id=patient.pk)
    event = AuditEvent.objects.get(action="content.safety_acknowledged")
    assert (event.patient_id, event.detail) == (patient.pk, {"version": "2"})


def test_a_new_version_needs_a_new_acknowledgement(patient, staff) -> None:
    services.safety_acknowledge(actor=patient, version=current_version())
    services.safety_version_publish(actor=staff, version="3", messages=new_wording(" Updated."))
    assert not selectors.has_acknowledged_current_safety(patient_id=patient.pk)
    status = selectors.safety_status_for(patient_id=patient.pk)
    assert status is not None
    assert (status.version.version, status.acknowledged, status.has_earlier_acknowledgement) == (
        "3",
        False,
        True,
    )
    assert AuditEvent.objects.filter(action="content.safety_published").exists()


@pytest.mark.parametrize("persona", ["patient", "clinician"])
def test_only_staff_publish_safety_messages(request, persona) -> None:
    with pytest.raises(PermissionDenied):
        services.safety_version_publish(
            actor=request.getfixturevalue(persona), version="3", messages=new_wording()
        )


def test_publishing_refuses_a_missing_message_or_a_used_name(staff) -> None:
    short = new_wording()[:4]
    with pytest.raises(ServiceError):
        services.safety_version_publish(actor=staff, version="3", messages=short)
    blank = new_wording()
    blank[2] = {**blank[2], "body": " "}
    with pytest.raises(ServiceError) as refused:
        services.safety_version_publish(actor=staff, version="3", messages=blank)
    assert refused.value.field == "title_3"
    with pytest.raises(ServiceError) as used:
        services.safety_version_publish(actor=staff, version="2", messages=new_wording())
    assert used.value.field == "version"
    assert current_version().version == "2"


def test_only_patients_acknowledge(supervisor) -> None:
    with pytest.raises(PermissionDenied):
        services.safety_acknowledge(actor=supervisor, version=current_version())


# --- The page -----------------------------------------------------------------------------------


def test_the_page_shows_the_five_messages_and_records_the_acknowledgement(client, patient):
    client.force_login(patient)
    page = client.get(reverse("content:safety-acknowledge")).content.decode()
    assert page.count('class="urgent-panel"') == 2  # blockade and tolerance stand out
    assert "After you stop or miss doses, your old amount can kill you" in page
    response = client.post(
        reverse("content:safety-acknowledge"), {"version": "2", "understood": "on"}
    )
    assert response.status_code == 302
    assert SafetyAcknowledgement.objects.filter(patient=patient).count() == 1


def test_without_the_tick_the_page_explains_and_records_nothing(client, patient) -> None:
    client.force_login(patient)
    response = client.post(reverse("content:safety-acknowledge"), {"version": "2"})
    assert response.status_code == 200
    assert "Tick the box to say you have read the safety messages." in response.content.decode()
    assert not SafetyAcknowledgement.objects.filter(patient=patient).exists()


def test_a_version_published_while_reading_is_shown_before_it_counts(client, patient, staff):
    client.force_login(patient)
    client.get(reverse("content:safety-acknowledge"))
    services.safety_version_publish(actor=staff, version="3", messages=new_wording(" New."))
    response = client.post(
        reverse("content:safety-acknowledge"), {"version": "2", "understood": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("content:safety-acknowledge")
    assert not SafetyAcknowledgement.objects.filter(patient=patient).exists()


def test_an_outside_next_address_is_ignored(client, patient) -> None:
    client.force_login(patient)
    response = client.post(
        reverse("content:safety-acknowledge"),
        {"version": "2", "understood": "on", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:patient-dashboard")


# --- The gate at sign-in ------------------------------------------------------------------------


def test_signing_in_without_an_acknowledgement_leads_to_the_messages_first(client, patient):
    response = sign_in(client, patient)
    assert response.status_code == 302
    assert client.session.get(SESSION_KEY) is True
    dashboard = client.get(reverse("core:patient-dashboard"))
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith(reverse("content:safety-acknowledge"))
    # Other pages wait too; help pages and signing out do not.
    assert client.get(reverse("accounts:consent-list")).status_code == 302
    assert client.get(reverse("content:faq-public")).status_code == 200
    done = client.post(
        reverse("content:safety-acknowledge"),
        {"version": "2", "understood": "on", "next": reverse("accounts:consent-list")},
    )
    assert done["Location"] == reverse("accounts:consent-list")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("core:patient-dashboard")).status_code == 200


def test_a_new_version_is_asked_for_at_the_next_sign_in(client, patient, staff) -> None:
    services.safety_acknowledge(actor=patient, version=current_version())
    sign_in(client, patient)
    assert client.get(reverse("core:patient-dashboard")).status_code == 200
    client.post(reverse("account_logout"))

    services.safety_version_publish(actor=staff, version="3", messages=new_wording(" New."))
    sign_in(client, patient)
    response = client.get(reverse("core:patient-dashboard"))
    assert response["Location"].startswith(reverse("content:safety-acknowledge"))
    page = client.get(response["Location"]).content.decode()
    assert "The clinic has updated its safety messages" in page


def test_other_roles_are_not_stopped_at_sign_in(client, supervisor) -> None:
    sign_in(client, supervisor)
    assert SESSION_KEY not in client.session
    assert client.get(reverse("core:supervisor-dashboard")).status_code == 200


# --- The dashboard reminder ---------------------------------------------------------------------


def test_the_dashboard_reminds_a_patient_until_they_acknowledge(client, patient) -> None:
    client.force_login(patient)
    page = client.get(reverse("core:patient-dashboard")).content.decode()
    assert reverse("content:safety-acknowledge") in page
    services.safety_acknowledge(actor=patient, version=current_version())
    page = client.get(reverse("core:patient-dashboard")).content.decode()
    assert "Read the safety messages" not in page
