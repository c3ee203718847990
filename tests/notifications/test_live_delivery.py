"""Delivery end to end with a real worker, real Redis and a real SMTP server.

- A burst: every notification delivered, each exactly once.
- Redis stopped and started mid-burst (a private server, port 6391): the queued messages are
  gone, the sweep re-queues the deliveries left pending, and still each goes exactly once.
- Two sweeps at once (PostgreSQL, two threads): no delivery is queued twice.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.notifications import services
from apps.notifications.models import Delivery
from tests.conftest import make_user
from tests.live import start_embedded_worker, start_worker, stop_worker, use_broker, wait_until
from tests.notifications.conftest import CLINICAL_WORDS
from tests.notifications.sinks import PrivateRedis, smtp_sink

pytestmark = pytest.mark.live_worker

PRIVATE_REDIS_PORT = int(os.environ.get("NOTIFICATIONS_TEST_REDIS_PORT", "6391"))


def _people(count: int) -> list[User]:
    clinician = make_user("live.clinician@test.example", Role.CLINICIAN)
    return [clinician] + [
        make_user(f"live.patient{i}@test.example", Role.PATIENT, clinician=clinician)
        for i in range(count - 1)
    ]


def _burst(people: list[User], *, prefix: str) -> list[int]:
    """One notification per person, each in its own committed transaction, as callers do."""
    for person in people:
        services.notification_queue(
            recipient=person, kind="portal_update", event_key=f"{prefix}:{person.pk}"
        )
    return list(Delivery.objects.order_by("pk").values_list("pk", flat=True))


def _all_sent() -> bool:
    return not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()


@pytest.fixture
def sink(monkeypatch):
    with smtp_sink(delay=0.05) as running:
        monkeypatch.setenv("EMAIL_URL", running.url)  # the worker's mail server
        yield running


@pytest.fixture
def private_redis():
    server = PrivateRedis(PRIVATE_REDIS_PORT)
    assert not server.alive(), f"port {PRIVATE_REDIS_PORT} is already in use"
    server.start()
    use_broker(server.url)
    try:
        yield server
    finally:
        use_broker(django_settings.CELERY_BROKER_URL)
        server.stop()


def test_burst_is_delivered_exactly_once_with_safe_headers(transactional_db, sink):
    worker = start_worker()
    try:
        people = _people(30)
        ids = _burst(people, prefix="burst")
        assert wait_until(_all_sent, timeout=90), Counter(
            Delivery.objects.values_list("status", flat=True)
        )
        assert wait_until(lambda: len(sink.messages) >= len(ids), timeout=10)
    finally:
        stop_worker(worker)
    counts = Counter(sink.delivery_ids())
    assert counts == Counter({str(pk): 1 for pk in ids})
    assert sorted(to for _sender, (to,) in sink.envelopes) == sorted(p.email for p in people)
    for message in sink.messages:
        assert message["Auto-Submitted"] == "auto-generated"
        assert message.get_content_type() == "multipart/alternative"
        subject = str(message["Subject"]).lower()
        assert not set(subject.replace(":", " ").split()) & set(CLINICAL_WORDS), subject


def test_redis_restart_mid_burst_still_delivers_each_exactly_once(
    transactional_db, sink, private_redis, settings, record_property
):
    settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS = 1
    worker = start_worker(redis_url=private_redis.url)
    try:
        people = _people(40)
        ids = _burst(people, prefix="restart")
        # Mid-burst: some sent, the rest still on the queue.
        assert wait_until(lambda: len(sink.messages) >= 5, timeout=60)
        waiting = private_redis.queue_length()
        private_redis.stop()
        private_redis.start()
        assert private_redis.queue_length() == 0  # the queue is gone with the server
        lost = Delivery.objects.exclude(status=Delivery.Status.SENT).count()
        assert waiting > 0
        assert lost > 0
        record_property("messages_lost_with_the_queue", waiting)
        record_property("deliveries_unsent_at_restart", lost)

        def swept_and_sent() -> bool:
            services.deliveries_requeue()
            return _all_sent()

        assert wait_until(swept_and_sent, timeout=120, every=1.5), Counter(
            Delivery.objects.values_list("status", flat=True)
        )
        assert wait_until(lambda: len(sink.messages) >= len(ids), timeout=10)
        # Nothing more arrives later, and a further sweep finds nothing to do.
        wait_until(lambda: False, timeout=3)
        assert services.deliveries_requeue() == 0
    finally:
        stop_worker(worker)
    assert Counter(sink.delivery_ids()) == Counter({str(pk): 1 for pk in ids})


def test_two_sweeps_at_once_queue_each_delivery_once(
    transactional_db, sink, settings, record_property
):
    if connection.vendor != "postgresql":
        pytest.fail("This race needs PostgreSQL (row locks with SKIP LOCKED).")
    settings.NOTIFICATIONS_SWEEP_BATCH = 25
    people = _people(40)
    for person in people:
        services.preference_update(
            actor=person,
            email_enabled=True,
            sms_enabled=False,
            sms_number="",
            quiet_start=time(22, 0),
            quiet_end=time(7, 0),
            include_details=False,
        )
    # Queued during last winter's quiet hours: held, not queued; now long due.
    with time_machine.travel(datetime(2026, 1, 10, 23, 0, tzinfo=UTC), tick=False):
        ids = _burst(people, prefix="sweeps")
    assert not Delivery.objects.filter(queued_at__isnull=False).exists()

    barrier = threading.Barrier(2)
    counts: list[int] = []

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            counts.append(services.deliveries_requeue())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    worker = start_worker()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        # Between them the two sweeps took every row once; a third takes the rest.
        record_property("concurrent_sweep_counts", ",".join(map(str, counts)))
        assert sum(counts) <= len(ids)
        assert max(counts) <= 25
        counts.append(services.deliveries_requeue())
        assert sum(counts) == len(ids)
        assert wait_until(_all_sent, timeout=90)
        assert wait_until(lambda: len(sink.messages) >= len(ids), timeout=10)
        wait_until(lambda: False, timeout=2)
    finally:
        stop_worker(worker)
    assert Counter(sink.delivery_ids()) == Counter({str(pk): 1 for pk in ids})


def test_embedded_default_needs_no_redis_and_its_beat_sweeps(
    transactional_db, sink, settings, tmp_path
):
    """`make run`: a file-system queue and beat inside the single worker. Deliveries queued by
    this process are sent, and deliveries nobody queued (held by quiet hours, now due) are found
    by the embedded beat's sweep."""
    queue_dir = tmp_path / "queue"
    queue_dir.mkdir()
    use_broker(
        "filesystem://",
        {
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "processed_folder": str(tmp_path / "processed"),
            "store_processed": False,
            "control_folder": str(tmp_path / "control"),
        },
    )
    people = _people(10)
    held = people[:5]
    for person in held:
        services.preference_update(
            actor=person,
            email_enabled=True,
            sms_enabled=False,
            sms_number="",
            quiet_start=time(22, 0),
            quiet_end=time(7, 0),
            include_details=False,
        )
    with time_machine.travel(datetime(2026, 1, 10, 23, 0, tzinfo=UTC), tick=False):
        _burst(held, prefix="embedded-held")
    ids = _burst(people[5:], prefix="embedded")
    assert len(ids) == 10
    assert Delivery.objects.filter(queued_at__isnull=True).count() == 5  # only a sweep finds them
    worker = start_embedded_worker(
        data_dir=tmp_path,
        env={"NOTIFICATIONS_SWEEP_SECONDS": "2", "NOTIFICATIONS_REQUEUE_AFTER_SECONDS": "1"},
    )
    try:
        assert wait_until(_all_sent, timeout=90), Counter(
            Delivery.objects.values_list("status", flat=True)
        )
        assert wait_until(lambda: len(sink.messages) >= len(ids), timeout=10)
        wait_until(lambda: False, timeout=3)
    finally:
        stop_worker(worker)
        use_broker(django_settings.CELERY_BROKER_URL)
    assert Counter(sink.delivery_ids()) == Counter({str(pk): 1 for pk in ids})
