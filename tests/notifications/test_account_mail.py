"""The sign-in system's e-mails go through the outbox (queued in the request, sent by a worker,
retried like any other), carry no token in the outbox, and keep the lock-screen rules: subjects
name nobody, and every e-mail body opens with only "there is something to see"."""

from __future__ import annotations

import re
import smtplib

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from apps.accounts import services as account_services
from apps.accounts.roles import Role
from apps.core.privacy import clinical_words_in
from apps.notifications import kinds
from apps.notifications.models import Delivery, Notification
from apps.notifications.rendering import message_render
from apps.notifications.tasks import send_delivery
from tests.notifications.conftest import NEEDS_OBJECTS, run_deliveries

OPENING = "There is something for you to see in the portal. Please sign in to see it."
LINK = re.compile(r"http://127\.0\.0\.1:8000/\S+")


def opening(text: object) -> str:
    """What a lock screen shows of a body: about its first 150 characters."""
    return " ".join(str(text).split())[:150]


def test_password_reset_is_queued_not_sent_in_the_request_and_its_link_works(client, patient):
    response = client.post(reverse("account_reset_password"), {"email": patient.email})
    assert response.status_code == 302
    assert mail.outbox == []  # nothing went out inside the request
    notification = Notification.objects.get(kind="account_password_reset")
    assert notification.context_ids == {"user": patient.pk}  # an id, never the token
    assert notification.to_address == patient.email
    delivery = notification.deliveries.get()
    assert run_deliveries(delivery) == ["sent"]
    (message,) = mail.outbox
    assert message.to == [patient.email]
    assert message.subject == "Riverside: reset your password"
    body = message.body
    assert opening(body).startswith(OPENING)
    link = LINK.findall(str(body))[0]
    # The link made at send time is a valid reset link: allauth accepts its key.
    follow = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert follow.status_code == 302
    page = client.get(follow["Location"])
    assert "password1" in page.content.decode()


def test_a_reset_e_mail_is_retried_when_the_mail_server_is_down(client, patient, monkeypatch):
    client.post(reverse("account_reset_password"), {"email": patient.email})
    delivery = Delivery.objects.get(notification__kind="account_password_reset")

    def down(**kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("apps.notifications.channels.email_send", down)
    assert run_deliveries(delivery) == ["retry"]


def test_address_confirmation_goes_through_the_outbox_and_confirms(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@test.example"}
    )
    assert response.status_code in (200, 302)
    assert mail.outbox == []
    address = EmailAddress.objects.get(email="second@test.example")
    notification = Notification.objects.get(kind="account_email_confirmation")
    assert notification.context_ids == {"address": address.pk}
    assert run_deliveries(notification.deliveries.get()) == ["sent"]
    (message,) = mail.outbox
    assert message.to == ["second@test.example"]
    assert opening(message.body).startswith(OPENING)
    link = LINK.findall(str(message.body))[0].removeprefix("http://127.0.0.1:8000")
    client.post(link)
    address.refresh_from_db()
    assert address.verified


def test_a_confirmation_no_longer_needed_is_not_sent(client, patient):
    client.force_login(patient)
    client.post(reverse("account_email"), {"action_add": "", "email": "third@test.example"})
    EmailAddress.objects.filter(email="third@test.example").update(verified=True)
    delivery = Delivery.objects.get(notification__kind="account_email_confirmation")
    assert run_deliveries(delivery) == ["cancelled"]
    assert mail.outbox == []


def test_security_notices_go_through_the_outbox(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "a-long-test-password-42",
            "password1": "another-long-password-77",
            "password2": "another-long-password-77",
        },
    )
    assert response.status_code == 302
    assert mail.outbox == []
    notification = Notification.objects.get(kind="account_notice")
    assert notification.context_ids == {"notice": "password_changed"}
    send_delivery(notification.deliveries.get().pk)
    (message,) = mail.outbox
    assert "The password of your account was changed." in message.body
    assert opening(message.body).startswith(OPENING)


def test_supervisor_invitation_names_nobody_on_the_lock_screen(patient, clinician):
    services_consent = account_services.consent_grant(
        actor=patient,
        supervisor_name="Robin Helper",
        supervisor_email="robin@test.example",
        relationship="aunt",
        expires_at=None,
        signed=True,
    )
    assert services_consent.invitation is not None
    delivery = Delivery.objects.get(notification__to_address="robin@test.example")
    assert run_deliveries(delivery) == ["sent"]
    (message,) = mail.outbox
    assert message.subject == "Your invitation to Riverside's portal"
    assert opening(message.body).startswith(OPENING)
    # Who asked, and for what, comes only after the first lines a lock screen shows.
    for word in ("Pat", "Patient", "support"):
        assert word not in opening(message.body)
    # Further down, the invitation still says who asked.
    assert "has asked you to support them" in message.body


@pytest.mark.parametrize("kind", sorted(set(kinds.KINDS) - NEEDS_OBJECTS))
def test_every_body_opens_with_only_something_to_see(clinician, patient, kind):
    notification = Notification(
        recipient=clinician,
        recipient_key=f"u:{clinician.pk}",
        kind=kind,
        event_key="open:1",
        context_ids={"patient": patient.pk, "notice": "password_changed"},
    )
    message = message_render(notification, include_details=True)
    assert message is not None
    html_body = re.sub(r"<head>.*</head>", " ", message.html, flags=re.DOTALL)
    for body in (message.text, re.sub(r"<[^>]+>", " ", html_body)):
        first = opening(body)
        assert first.startswith(OPENING), (kind, first)
        assert patient.full_name not in first  # the person the message is about
        assert not clinical_words_in(first)


def test_staff_invitation_subject_names_nobody(clinician):
    account_services.invitation_create(
        actor=clinician, email="new@test.example", full_name="Nia New", role=Role.PATIENT
    )
    send_delivery(Delivery.objects.get().pk)
    (message,) = mail.outbox
    assert "Nia" not in message.subject
    assert opening(message.body).startswith(OPENING)
