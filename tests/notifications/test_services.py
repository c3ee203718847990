"""The outbox: once per event and person, claimed before sending, retried with back-off,
failed after the limit, swept when left behind; preferences and their audit."""

from __future__ import annotations

import smtplib
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.roles import Role
from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError
from apps.notifications import kinds, services
from apps.notifications.models import Channel, Delivery, Notification
from tests.notifications.conftest import CLINICAL_WORDS, NEEDS_OBJECTS, run_deliveries


def queue(recipient, *, kind="portal_update", key="event:1", **kwargs):
    return services.notification_queue(recipient=recipient, kind=kind, event_key=key, **kwargs)


def test_queue_writes_the_row_and_dispatches_only_after_commit(
    patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = queue(patient)
        assert Delivery.objects.filter(notification=notification).count() == 1
        assert callbacks == []  # nothing on the queue while the transaction is open
    assert len(callbacks) == 1
    delivery = notification.deliveries.get()
    assert delivery.channel == Channel.EMAIL
    assert delivery.status == Delivery.Status.PENDING
    assert notification.read_at is None


def test_the_same_event_notifies_the_same_person_once(patient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = queue(patient, key="dose:7")
        second = queue(patient, key="dose:7")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 1
    assert len(callbacks) == 1


def test_the_database_refuses_a_second_row_for_the_same_event(patient):
    queue(patient, key="dose:8")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=patient,
            recipient_key=f"u:{patient.pk}",
            kind="portal_update",
            event_key="dose:8",
        )


def test_a_rolled_back_event_sends_nothing(patient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                queue(patient, key="dose:9")
                raise RuntimeError("the event failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()


def test_context_ids_refuse_free_text(patient):
    with pytest.raises(ValueError, match="context_ids"):
        queue(patient, context_ids={"note": "felt unwell after taking it"})


def test_unknown_kind_is_refused(patient):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        queue(patient, kind="nope")


def test_send_claims_sends_and_marks_sent_once(patient):
    notification = queue(patient)
    delivery = notification.deliveries.get()
    assert run_deliveries(delivery, delivery) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    message = mail.outbox[0]
    assert message.to == [patient.email]
    assert message.extra_headers["X-Portal-Delivery"] == str(delivery.pk)
    assert "http://127.0.0.1:8000/notifications/" in message.body


def test_only_one_claim_wins(patient):
    delivery = queue(patient).deliveries.get()
    assert services.delivery_claim(delivery_id=delivery.pk) is True
    assert services.delivery_claim(delivery_id=delivery.pk) is False


def _failing_send(exc):
    def send(**kwargs):
        raise exc

    return send


def test_transport_error_backs_off_then_fails_after_the_retry_window(
    patient, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_RETRY_FOR_SECONDS = 300
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    monkeypatch.setattr(
        "apps.notifications.channels.email_send",
        _failing_send(smtplib.SMTPServerDisconnected("Connection unexpectedly closed")),
    )
    delivery = queue(patient).deliveries.get()
    start = timezone.now()
    with django_capture_on_commit_callbacks() as callbacks:
        assert run_deliveries(delivery) == ["retry"]
    assert len(callbacks) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_error == "SMTPServerDisconnected"
    assert delivery.not_before >= start + timedelta(seconds=60)
    # Not due yet: a worker that gets the message early does nothing.
    assert run_deliveries(delivery) == ["skipped"]

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert run_deliveries(delivery) == ["retry"]
    delivery.refresh_from_db()
    assert delivery.not_before >= start + timedelta(seconds=61 + 120)  # doubled
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        assert run_deliveries(delivery) == ["failed"]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 3
    assert AuditEvent.objects.filter(action="notifications.delivery_failed").count() == 1


def test_transport_errors_are_retried_for_a_day_with_capped_back_off(patient, monkeypatch):
    """Defaults: a mail server down for hours still gets the message once it is back; the
    delivery fails (and staff hear of it) only after a full day of capped back-off."""
    monkeypatch.setattr(
        "apps.notifications.channels.email_send", _failing_send(ConnectionRefusedError())
    )
    delivery = queue(patient).deliveries.get()
    start = timezone.now()
    outcomes: list[str] = []
    waits: list[float] = []
    with time_machine.travel(start, tick=False) as traveller:
        while True:
            outcome = run_deliveries(delivery)[0]
            outcomes.append(outcome)
            delivery.refresh_from_db()
            if outcome != "retry":
                break
            waits.append((delivery.not_before - timezone.now()).total_seconds())
            traveller.move_to(delivery.not_before)
        gave_up = timezone.now()
    assert outcomes[-1] == "failed"
    assert gave_up - start >= timedelta(hours=23, minutes=45)
    assert max(waits) == 900  # capped at NOTIFICATIONS_RETRY_MAX_SECONDS
    assert waits[:4] == [60, 120, 240, 480]


@pytest.mark.parametrize(
    ("exc", "retry"),
    [
        (smtplib.SMTPDataError(451, b"try again later"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"no such user")}), False),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (452, b"mailbox full")}), True),
        (TimeoutError(), True),
    ],
)
def test_only_transport_errors_are_retried(patient, monkeypatch, exc, retry):
    monkeypatch.setattr("apps.notifications.channels.email_send", _failing_send(exc))
    delivery = queue(patient).deliveries.get()
    assert run_deliveries(delivery) == ["retry" if retry else "failed"]


def test_a_broken_message_fails_at_once_without_its_text(patient, monkeypatch):
    monkeypatch.setattr(
        "apps.notifications.channels.email_send",
        _failing_send(ValueError("secret content of the message")),
    )
    delivery = queue(patient).deliveries.get()
    assert run_deliveries(delivery) == ["failed"]
    delivery.refresh_from_db()
    assert delivery.last_error == "ValueError"


def test_channels_follow_preferences(patient, sms_outbox):
    services.preference_update(
        actor=patient,
        email_enabled=False,
        sms_enabled=True,
        sms_number="07700 900123",
        quiet_start=None,
        quiet_end=None,
        include_details=False,
    )
    notification = queue(patient)
    delivery = notification.deliveries.get()
    assert delivery.channel == Channel.SMS
    assert run_deliveries(delivery) == ["sent"]
    assert mail.outbox == []
    assert sms_outbox == [
        (
            "07700 900123",
            "There is something new for you in the portal. http://127.0.0.1:8000/notifications/",
        )
    ]


def test_a_closed_account_gets_nothing_outside_the_portal(patient):
    delivery = queue(patient, key="closed:1").deliveries.get()
    patient.is_active = False
    patient.save(update_fields=["is_active"])
    assert run_deliveries(delivery) == ["cancelled"]
    assert not queue(patient, key="closed:2").deliveries.exists()
    assert mail.outbox == []


def test_turning_email_off_cancels_a_waiting_email(patient):
    delivery = queue(patient).deliveries.get()
    services.preference_update(
        actor=patient,
        email_enabled=False,
        sms_enabled=False,
        sms_number="",
        quiet_start=None,
        quiet_end=None,
        include_details=False,
    )
    assert run_deliveries(delivery) == ["cancelled"]
    assert mail.outbox == []


# --- Privacy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(set(kinds.KINDS) - NEEDS_OBJECTS))
@pytest.mark.parametrize("opted_in", [False, True])
def test_subjects_never_carry_clinical_words(clinician, monkeypatch, kind, opted_in):
    spec = kinds.KINDS[kind]
    monkeypatch.setitem(
        kinds.KINDS, kind, replace(spec, details="tests.notifications.conftest.fake_details")
    )
    services.preference_update(
        actor=clinician,
        email_enabled=True,
        sms_enabled=True,
        sms_number="+44 7700 900123",
        quiet_start=None,
        quiet_end=None,
        include_details=opted_in,
    )
    context = {"patient": clinician.pk, "consent": 1}
    notification = queue(clinician, kind=kind, context_ids=context)
    run_deliveries(*notification.deliveries.all())
    (message,) = mail.outbox
    subject = message.subject.lower()
    for word in CLINICAL_WORDS:
        assert word not in subject.split(), (kind, word)
    assert "naltrexone" not in subject
    if opted_in:
        assert "Naltrexone 50 mg" in message.body
    else:
        assert "Naltrexone" not in message.body
        assert "Naltrexone" not in message.alternatives[0][0]  # type: ignore[attr-defined]


def test_urgent_is_only_for_clinicians_and_kinds_that_allow_it(clinician, patient):
    assert queue(
        clinician,
        kind="missed_dose_alert",
        key="a:1",
        urgent=True,
        context_ids={"patient": patient.pk},
    ).is_urgent
    assert not queue(clinician, kind="portal_update", key="a:2", urgent=True).is_urgent
    assert not queue(
        patient,
        kind="missed_dose_alert",
        key="a:3",
        urgent=True,
        context_ids={"patient": patient.pk},
    ).is_urgent


# --- Quiet hours --------------------------------------------------------------------------------


def _quiet(user, start=time(22, 0), end=time(7, 0)):
    services.preference_update(
        actor=user,
        email_enabled=True,
        sms_enabled=False,
        sms_number="",
        quiet_start=start,
        quiet_end=end,
        include_details=False,
    )


def test_quiet_hours_hold_a_message_until_they_end(patient, django_capture_on_commit_callbacks):
    _quiet(patient)
    # 23:30 in London on a winter night (GMT): held until 07:00 GMT.
    with time_machine.travel(datetime(2027, 1, 10, 23, 30, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks() as callbacks:
            delivery = queue(patient).deliveries.get()
        assert callbacks == []  # not queued: the sweep sends it when due
        assert delivery.not_before == datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
        assert run_deliveries(delivery) == ["skipped"]
        assert services.deliveries_requeue() == 0
    with time_machine.travel(datetime(2027, 1, 11, 7, 1, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks() as callbacks:
            assert services.deliveries_requeue() == 1
        assert len(callbacks) == 1
        assert run_deliveries(delivery) == ["sent"]


def test_quiet_hours_end_at_local_time_when_the_clocks_go_forward(patient):
    # UK clocks go forward at 01:00 UTC on Sunday 28 March 2027. Quiet 22:00-07:00: a message at
    # 23:00 GMT on Saturday waits for 07:00 BST on Sunday, which is 06:00 UTC, not 07:00.
    _quiet(patient)
    with time_machine.travel(datetime(2027, 3, 27, 23, 0, tzinfo=UTC), tick=False):
        delivery = queue(patient).deliveries.get()
    assert delivery.not_before == datetime(2027, 3, 28, 6, 0, tzinfo=UTC)


def test_quiet_hours_end_at_local_time_when_the_clocks_go_back(patient):
    # UK clocks go back at 01:00 UTC on Sunday 25 October 2026. Quiet 22:00-07:00: a message at
    # 22:30 BST (21:30 UTC) on Saturday waits for 07:00 GMT on Sunday, which is 07:00 UTC.
    _quiet(patient)
    with time_machine.travel(datetime(2026, 10, 24, 21, 30, tzinfo=UTC), tick=False):
        delivery = queue(patient).deliveries.get()
    assert delivery.not_before == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)


def test_quiet_hours_follow_the_users_own_time_zone(patient):
    account_services.profile_update(
        actor=patient, full_name=patient.full_name, preferred_name="", time_zone="America/New_York"
    )
    patient.refresh_from_db()
    _quiet(patient)
    # 03:00 UTC is 22:00 in New York (EST): quiet until 07:00 EST = 12:00 UTC.
    with time_machine.travel(datetime(2027, 1, 10, 3, 0, tzinfo=UTC), tick=False):
        delivery = queue(patient).deliveries.get()
    assert delivery.not_before == datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


def test_outside_quiet_hours_a_message_goes_at_once(patient):
    _quiet(patient)
    moment = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        delivery = queue(patient).deliveries.get()
    assert delivery.not_before == moment


def test_urgent_clinician_alerts_ignore_quiet_hours(clinician, patient):
    _quiet(clinician)
    moment = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        urgent = queue(
            clinician,
            kind="missed_dose_alert",
            key="m:1",
            urgent=True,
            context_ids={"patient": patient.pk},
        )
        routine = queue(
            clinician, kind="missed_dose_alert", key="m:2", context_ids={"patient": patient.pk}
        )
    assert urgent.deliveries.get().not_before == moment
    assert routine.deliveries.get().not_before == datetime(2027, 1, 10, 7, 0, tzinfo=UTC)


# --- The sweep ----------------------------------------------------------------------------------


def test_sweep_requeues_lost_and_abandoned_deliveries_once(
    patient, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS = 300
    settings.NOTIFICATIONS_STALE_CLAIM_SECONDS = 600
    start = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        lost = queue(patient, key="e:1").deliveries.get()
        crashed = queue(patient, key="e:2").deliveries.get()
        assert services.delivery_claim(delivery_id=crashed.pk)  # then the worker died
        assert services.deliveries_requeue() == 0  # both are young
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert services.deliveries_requeue() == 1  # the lost one; the claim is not stale yet
    with time_machine.travel(start + timedelta(minutes=10, seconds=30), tick=False):
        with django_capture_on_commit_callbacks() as callbacks:
            assert services.deliveries_requeue() == 1  # the abandoned claim
            assert services.deliveries_requeue() == 0  # just stamped: not again
        assert len(callbacks) == 1
        crashed.refresh_from_db()
        assert crashed.status == Delivery.Status.PENDING
        assert run_deliveries(lost, crashed) == ["sent", "sent"]
    assert len(mail.outbox) == 2


# --- Staff retry --------------------------------------------------------------------------------


def _failed_delivery(patient, monkeypatch, settings):
    settings.NOTIFICATIONS_RETRY_FOR_SECONDS = 0
    with monkeypatch.context() as m:
        m.setattr("apps.notifications.channels.email_send", _failing_send(ConnectionRefusedError()))
        delivery = queue(patient).deliveries.get()
        assert run_deliveries(delivery) == ["failed"]
    delivery.refresh_from_db()
    return delivery


def test_staff_retry_a_failed_delivery_and_it_is_audited(patient, staff, monkeypatch, settings):
    delivery = _failed_delivery(patient, monkeypatch, settings)
    assert delivery.last_error.startswith("ConnectionRefusedError")
    services.delivery_retry(actor=staff, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 0
    event = AuditEvent.objects.get(action="notifications.delivery_retried")
    assert event.actor == staff
    assert run_deliveries(delivery) == ["sent"]
    with pytest.raises(ServiceError):
        services.delivery_retry(actor=staff, delivery=delivery)


@pytest.mark.parametrize("role", ["patient", "clinician"])
def test_only_staff_may_retry(patient, clinician, monkeypatch, settings, role):
    delivery = _failed_delivery(patient, monkeypatch, settings)
    with pytest.raises(PermissionDenied):
        services.delivery_retry(
            actor={"patient": patient, "clinician": clinician}[role], delivery=delivery
        )


# --- Preferences --------------------------------------------------------------------------------


def test_preference_changes_are_audited_with_field_codes_only(patient):
    _quiet(patient)
    event = AuditEvent.objects.get(action="notifications.preferences_changed")
    assert event.actor == patient
    assert event.detail == {"fields": "quiet_start,quiet_end"}
    _quiet(patient)  # no change, no event
    assert AuditEvent.objects.filter(action="notifications.preferences_changed").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sms_enabled": True}, "sms_number"),
        ({"sms_number": "call me maybe"}, "sms_number"),
        ({"quiet_start": time(22, 0)}, "quiet_end"),
        ({"quiet_end": time(7, 0)}, "quiet_start"),
        ({"quiet_start": time(7, 0), "quiet_end": time(7, 0)}, "quiet_end"),
    ],
)
def test_bad_preferences_are_refused_next_to_the_field(patient, changes, field):
    values = {
        "email_enabled": True,
        "sms_enabled": False,
        "sms_number": "",
        "quiet_start": None,
        "quiet_end": None,
        "include_details": False,
        **changes,
    }
    with pytest.raises(ServiceError) as caught:
        services.preference_update(actor=patient, **values)
    assert caught.value.field == field
    assert not AuditEvent.objects.filter(action="notifications.preferences_changed").exists()


# --- Inbox --------------------------------------------------------------------------------------


def test_mark_read_and_mark_all_read(patient, other_patient):
    first = queue(patient, key="r:1")
    queue(patient, key="r:2")
    theirs = queue(other_patient, key="r:3")
    services.notification_mark_read(actor=patient, notification=first)
    first.refresh_from_db()
    assert first.read_at is not None
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=patient, notification=theirs)
    assert services.notification_mark_all_read(actor=patient) == 1
    assert services.notification_mark_all_read(actor=patient) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- Callers: accounts --------------------------------------------------------------------------


def test_invitations_go_through_the_outbox_without_the_token(clinician):
    invitation = account_services.invitation_create(
        actor=clinician, email="New.Person@test.example", full_name="New Person", role=Role.PATIENT
    )
    notification = Notification.objects.get(kind="invitation")
    assert notification.recipient is None
    assert notification.to_address == "new.person@test.example"
    assert notification.context_ids == {"invitation": invitation.pk}
    token = account_services.invitation_token(invitation)
    assert token.split("-")[1] not in str(notification.context_ids)
    run_deliveries(notification.deliveries.get())
    (message,) = mail.outbox
    assert message.to == ["new.person@test.example"]
    assert account_services.invitation_url(invitation) in message.body
    assert message.subject == "Your invitation to Riverside's portal"


def test_a_withdrawn_invitation_is_not_sent(clinician):
    invitation = account_services.invitation_create(
        actor=clinician, email="gone@test.example", full_name="Gone", role=Role.PATIENT
    )
    account_services.invitation_cancel(actor=clinician, invitation=invitation)
    delivery = Delivery.objects.get(notification__kind="invitation")
    assert run_deliveries(delivery) == ["cancelled"]
    assert mail.outbox == []


def test_clinician_hears_when_a_supervisor_accepts(consent, clinician):
    notification = Notification.objects.get(kind="supervisor_accepted")
    assert notification.recipient == clinician
    assert notification.context_ids == {"patient": consent.patient_id, "consent": consent.pk}


# --- SMS backends -------------------------------------------------------------------------------


def _sms_on(user):
    services.preference_update(
        actor=user,
        email_enabled=False,
        sms_enabled=True,
        sms_number="+44 7700 900123",
        quiet_start=None,
        quiet_end=None,
        include_details=True,
    )


def test_console_sms_backend_prints_a_general_message(patient, settings, capsys):
    settings.NOTIFICATIONS_SMS_BACKEND = "apps.notifications.channels.ConsoleSmsBackend"
    _sms_on(patient)
    delivery = queue(patient).deliveries.get()
    assert run_deliveries(delivery) == ["sent"]
    out = capsys.readouterr().out
    key = services.delivery_idempotency_key(delivery)
    assert f"SMS to +44 7700 900123 [{key}]: There is something new for you in the portal." in out


class FlakySms:
    def send(self, *, to, text, idempotency_key):
        from apps.notifications.channels import TransportError

        raise TransportError("provider unavailable")


def test_an_sms_provider_outage_is_retried(patient, settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "tests.notifications.test_services.FlakySms"
    _sms_on(patient)
    delivery = queue(patient).deliveries.get()
    assert run_deliveries(delivery) == ["retry"]
    delivery.refresh_from_db()
    assert delivery.last_error == "TransportError"


def test_an_address_is_one_recipient_whatever_its_case(db):
    first = services.notification_queue(
        to_address="Someone@Test.Example", kind="portal_update", event_key="addr:1"
    )
    second = services.notification_queue(
        to_address="someone@test.example", kind="portal_update", event_key="addr:1"
    )
    assert first.pk == second.pk
    assert first.recipient_key == "e:someone@test.example"
    with pytest.raises(ValueError, match="either a recipient or an address"):
        services.notification_queue(kind="portal_update", event_key="addr:2")
