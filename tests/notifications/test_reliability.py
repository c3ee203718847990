"""Faults the outbox survives, and repeats it makes detectable (issue 12).

- The broker unreachable at commit: the event is saved, the caller sees no error, the sweep
  queues the delivery later.
- A database error before sending: the task retries shortly and takes back its own claim.
- After the server accepted a message: marked sent before QUIT, never sent again, whatever
  fails afterwards (QUIT, a soft time limit, a short database outage while recording it).
- A claim taken back from a dead worker counts; a message that kills the worker every time fails.
- Every attempt of a delivery carries the same Message-ID / SMS idempotency key.
- A delivery that fails for good alerts the clinic's staff (an alert about an alert does not).
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError
from django.utils import timezone

from apps.notifications import services
from apps.notifications.channels import LocmemSmsBackend
from apps.notifications.models import Delivery, Notification
from apps.notifications.tasks import send_delivery
from tests.live import use_broker
from tests.notifications.conftest import run_deliveries
from tests.notifications.sinks import free_port


def queue(recipient, key="event:1", **kwargs):
    return services.notification_queue(
        recipient=recipient, kind="portal_update", event_key=key, **kwargs
    )


# --- The broker down at commit ------------------------------------------------------------------


@pytest.fixture
def dead_broker(settings):
    use_broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    yield
    use_broker(settings.CELERY_BROKER_URL)


def test_an_unreachable_broker_at_commit_raises_nothing_and_the_sweep_recovers(
    patient, dead_broker, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = queue(patient)
    assert len(callbacks) == 1  # it ran, and raised nothing
    delivery = notification.deliveries.get()
    assert delivery.status == Delivery.Status.PENDING
    later = timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS + 1)
    with time_machine.travel(later), django_capture_on_commit_callbacks() as requeued:
        assert services.deliveries_requeue() == 1
    assert len(requeued) == 1


def test_a_page_that_queues_a_notification_answers_normally_with_the_broker_down(
    client, clinician, dead_broker, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    client.force_login(clinician)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": clinician.email}, follow=False
        )
    assert response.status_code == 302
    assert Delivery.objects.filter(notification__kind="account_password_reset").exists()


# --- Database errors ----------------------------------------------------------------------------


def test_a_database_error_before_sending_is_retried_by_the_task(patient, monkeypatch):
    delivery = queue(patient).deliveries.get()
    from apps.notifications.rendering import message_render as real

    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "message_render", flaky)
    # `apply` runs the task here as a worker would, its retries included (same task id).
    result = send_delivery.apply((delivery.pk,), task_id="task-1")
    assert result.get() == "sent"
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_only_the_same_task_takes_back_its_claim(patient):
    delivery = queue(patient).deliveries.get()
    assert services.delivery_claim(delivery_id=delivery.pk, token="task-1")
    assert not services.delivery_claim(delivery_id=delivery.pk, token="task-2")
    assert not services.delivery_claim(delivery_id=delivery.pk)
    assert services.delivery_claim(delivery_id=delivery.pk, token="task-1")


def test_recording_sent_is_retried_through_a_short_outage(patient, monkeypatch):
    delivery = queue(patient).deliveries.get()
    real = services._finish
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise OperationalError("the database is restarting")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_finish", flaky)
    monkeypatch.setattr("apps.notifications.services.time.sleep", lambda seconds: None)
    assert run_deliveries(delivery) == ["sent"]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(mail.outbox) == 1


# --- After acceptance ---------------------------------------------------------------------------


class _QuitFails(LocmemBackend):
    """Accepts the message, then the connection breaks on QUIT (or a time limit strikes)."""

    error: BaseException = smtplib.SMTPServerDisconnected("lost on QUIT")
    status_at_quit: list[str] = []

    def close(self) -> None:
        _QuitFails.status_at_quit.extend(Delivery.objects.values_list("status", flat=True))
        raise _QuitFails.error


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("lost on QUIT"),
        smtplib.SMTPResponseException(421, b"closing"),
        SoftTimeLimitExceeded(),
    ],
)
def test_a_failure_after_acceptance_is_sent_and_never_retried(patient, settings, error):
    settings.EMAIL_BACKEND = "tests.notifications.test_reliability._QuitFails"
    _QuitFails.error = error
    _QuitFails.status_at_quit = []
    delivery = queue(patient).deliveries.get()
    assert run_deliveries(delivery) == ["sent"]
    assert _QuitFails.status_at_quit == ["sent"]  # recorded before QUIT
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(mail.outbox) == 1
    assert run_deliveries(delivery) == ["skipped"]


# --- Repeats are recognisable -------------------------------------------------------------------


class WorkerDied(BaseException):
    """The worker process vanishing (kill -9) between acceptance and recording."""


def test_a_resend_after_a_dead_worker_carries_the_same_message_id(patient, monkeypatch, settings):
    delivery = queue(patient).deliveries.get()

    def die(delivery):
        raise WorkerDied

    with monkeypatch.context() as m:
        m.setattr(services, "_mark_sent", die)
        with pytest.raises(WorkerDied):
            run_deliveries(delivery)
    later = timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_STALE_CLAIM_SECONDS + 1)
    with time_machine.travel(later):
        assert services.deliveries_requeue() == 1
        assert run_deliveries(delivery) == ["sent"]
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"] == services.delivery_message_id(delivery)
    assert first.extra_headers["Message-ID"].endswith("@example.org>")


def test_every_sms_attempt_carries_the_same_idempotency_key(patient, settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "apps.notifications.channels.LocmemSmsBackend"
    services.preference_update(
        actor=patient,
        email_enabled=False,
        sms_enabled=True,
        sms_number="+44 7700 900123",
        quiet_start=None,
        quiet_end=None,
        include_details=False,
    )
    delivery = queue(patient).deliveries.get()
    assert run_deliveries(delivery) == ["sent"]
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
    assert run_deliveries(delivery) == ["sent"]
    key = services.delivery_idempotency_key(delivery)
    assert LocmemSmsBackend.keys == [key, key]


# --- Dead workers and poison messages -----------------------------------------------------------


def test_a_message_that_kills_the_worker_every_time_fails_and_staff_hear(
    patient, staff, settings, monkeypatch
):
    settings.NOTIFICATIONS_MAX_TAKEBACKS = 3
    delivery = queue(patient).deliveries.get()
    now = timezone.now()
    stale = timedelta(seconds=settings.NOTIFICATIONS_STALE_CLAIM_SECONDS + 1)
    requeued = []
    for _crash in range(3):
        assert services.delivery_claim(delivery_id=delivery.pk, now=now)  # then the worker dies
        now += stale
        requeued.append(services.deliveries_requeue(now=now))
    delivery.refresh_from_db()
    assert requeued == [1, 1, 0]
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error == "WorkerLost"
    assert delivery.takebacks == 3
    assert delivery.attempts == 3
    alert = Notification.objects.get(kind="delivery_failed")
    assert alert.recipient == staff
    assert alert.context_ids == {"delivery": delivery.pk}


def test_staff_are_alerted_when_a_delivery_fails_but_not_about_their_alerts(
    patient, staff, settings, monkeypatch
):
    settings.NOTIFICATIONS_RETRY_FOR_SECONDS = 0

    def refuse(**kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("apps.notifications.channels.email_send", refuse)
    delivery = queue(patient).deliveries.get()
    assert run_deliveries(delivery) == ["failed"]
    alert = Notification.objects.get(kind="delivery_failed", recipient=staff)
    assert run_deliveries(alert.deliveries.get()) == ["failed"]
    assert Notification.objects.filter(kind="delivery_failed").count() == 1


def test_the_shared_cache_restarting_during_a_send_is_retried_not_failed():
    import redis

    from apps.notifications.channels import is_retryable

    assert is_retryable(redis.exceptions.ConnectionError("Connection refused"))
    assert is_retryable(redis.exceptions.TimeoutError("Timeout reading"))
    assert not is_retryable(ValueError("a broken template"))
