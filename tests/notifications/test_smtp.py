"""E-mail over a real SMTP connection to a sink started by the test: headers, both parts, and
subjects free of clinical words even for people who opted in to details."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.roles import Role
from apps.notifications import kinds, services
from apps.notifications.models import Delivery
from tests.notifications.conftest import CLINICAL_WORDS, NEEDS_OBJECTS, run_deliveries
from tests.notifications.sinks import free_port, smtp_sink


@pytest.fixture
def sink(settings):
    with smtp_sink() as running:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = running.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield running


def test_messages_over_smtp_have_safe_subjects_and_both_parts(
    sink, clinician, patient, monkeypatch
):
    for name, spec in list(kinds.KINDS.items()):
        monkeypatch.setitem(
            kinds.KINDS, name, replace(spec, details="tests.notifications.conftest.fake_details")
        )
    services.preference_update(
        actor=clinician,
        email_enabled=True,
        sms_enabled=False,
        sms_number="",
        quiet_start=None,
        quiet_end=None,
        include_details=True,
    )
    invitation = account_services.invitation_create(
        actor=clinician, email="invitee@test.example", full_name="Ina Invitee", role=Role.PATIENT
    )
    for kind in sorted(set(kinds.KINDS) - NEEDS_OBJECTS):
        services.notification_queue(
            recipient=clinician,
            kind=kind,
            event_key=f"smtp:{kind}",
            context_ids={"patient": patient.pk, "consent": 1},
        )
    results = run_deliveries(*Delivery.objects.order_by("pk"))
    assert set(results) == {"sent"}
    assert len(sink.messages) == len(kinds.KINDS) - len(NEEDS_OBJECTS) + 1

    by_id = {str(m["X-Portal-Delivery"]): m for m in sink.messages}
    assert set(by_id) == {str(pk) for pk in Delivery.objects.values_list("pk", flat=True)}
    for message in sink.messages:
        subject = str(message["Subject"]).lower()
        assert not set(subject.replace(":", " ").split()) & set(CLINICAL_WORDS), subject
        assert message["From"] == "Clinic portal <no-reply@example.org>"
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Message-ID"]
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert text is not None
        assert html is not None
        assert "http://127.0.0.1:8000/" in text.get_content()

    invite = next(m for m in sink.messages if m["To"] == "invitee@test.example")
    assert invite["Subject"] == "Your invitation to Riverside's portal"
    assert account_services.invitation_url(invitation) in invite.get_body(("plain",)).get_content()
    alert = next(
        m
        for m in sink.messages
        if m["To"] == clinician.email and "follow-up" in str(m.get_body(("plain",)).get_content())
    )
    # Opted in: the details are in the body, never in the subject.
    assert "Naltrexone 50 mg" in alert.get_body(("plain",)).get_content()
    assert "naltrexone" not in str(alert["Subject"]).lower()


def test_smtp_server_down_means_retry_then_failed(settings, patient):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens here
    settings.EMAIL_TIMEOUT = 2
    settings.NOTIFICATIONS_RETRY_FOR_SECONDS = 60
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0
    delivery = services.notification_queue(
        recipient=patient, kind="portal_update", event_key="down:1"
    ).deliveries.get()
    assert run_deliveries(delivery) == ["retry"]
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert run_deliveries(delivery) == ["failed"]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error.startswith("ConnectionRefusedError")
