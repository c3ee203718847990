"""The fault experiments of issue 12, kept so they can be rerun: 200 messages each, a real
worker, real Redis, a real SMTP server, PostgreSQL.

- Worker killed with -9 mid-burst, a new worker started: nothing lost; the one message in flight
  may be sent twice (the server had it, the row was not yet marked), and then both copies carry
  the same Message-ID.
- The worker's database cut for 15 s mid-burst (a TCP proxy on loopback in front of the shared
  PostgreSQL, which never stops): nothing lost, nothing waits for the sweep; tasks retry with a
  short back-off and the burst drains soon after the database is back.

Run: DATABASE_URL=postgres://... REDIS_URL=redis://... pytest -p no:xdist -m live_worker \
     tests/notifications/test_fault_experiments.py -s
Each prints one line of figures (lost, repeated, same Message-ID, time to drain).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import Counter, defaultdict
from email.message import EmailMessage

import pytest
from django.db import connection

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.notifications import services
from apps.notifications.models import Delivery
from tests.conftest import make_user
from tests.live import database_url_for_child, start_worker, stop_worker, wait_until
from tests.notifications.sinks import SmtpSink, TcpProxy, smtp_sink

pytestmark = pytest.mark.live_worker

BURST = 200


def _people(count: int, prefix: str) -> list[User]:
    clinician = make_user(f"{prefix}.clinician@test.example", Role.CLINICIAN)
    return [clinician] + [
        make_user(f"{prefix}.patient{i}@test.example", Role.PATIENT, clinician=clinician)
        for i in range(count - 1)
    ]


def _burst(people: list[User], prefix: str) -> list[int]:
    for person in people:
        services.notification_queue(
            recipient=person, kind="portal_update", event_key=f"{prefix}:{person.pk}"
        )
    return list(Delivery.objects.order_by("pk").values_list("pk", flat=True))


def _figures(sink: SmtpSink, ids: list[int]) -> dict[str, object]:
    with sink.lock:
        messages: list[EmailMessage] = list(sink.messages)
    by_delivery: dict[str, list[str]] = defaultdict(list)
    for message in messages:
        by_delivery[str(message["X-Portal-Delivery"])].append(str(message["Message-ID"]))
    repeated = {pk: mids for pk, mids in by_delivery.items() if len(mids) > 1}
    return {
        "sent": len(messages),
        "lost": sum(1 for pk in ids if str(pk) not in by_delivery),
        "repeated": len(repeated),
        "repeats_with_same_message_id": sum(1 for mids in repeated.values() if len(set(mids)) == 1),
        "unexpected": sorted(set(by_delivery) - {str(pk) for pk in ids}),
    }


def _report(name: str, figures: dict[str, object], record_property) -> None:
    for key, value in figures.items():
        record_property(key, value)
    sys.stdout.write(f"\n{name}: {figures}\n")


def _sweep_until_drained(ids: list[int], sink: SmtpSink, *, timeout: float) -> bool:
    """Beat's part: a sweep every few seconds until every delivery reached the server and is
    recorded as sent (a row left "sending" by the dead worker is taken back and sent again)."""

    def drained() -> bool:
        services.deliveries_requeue()
        reached = len({str(m["X-Portal-Delivery"]) for m in sink.messages}) >= len(ids)
        return reached and not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()

    return wait_until(drained, timeout=timeout, every=3)


@pytest.fixture
def sink(monkeypatch):
    with smtp_sink(delay=0.05) as running:
        monkeypatch.setenv("EMAIL_URL", running.url)
        yield running


def test_worker_killed_mid_burst(transactional_db, sink, settings, record_property):
    # Short limits so the experiment takes a minute, not ten. Production: a claim is taken back
    # after 600 s (it must stay longer than the send task's hard limit, 60 s), and a message the
    # dead worker had reserved but not started is re-queued after 300 s.
    settings.NOTIFICATIONS_STALE_CLAIM_SECONDS = 65
    settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS = 30
    worker = start_worker()
    second = None
    try:
        ids = _burst(_people(BURST, "kill"), "kill")
        assert wait_until(lambda: len(sink.messages) >= 50, timeout=120)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = time.monotonic()
        sent_at_kill = len(sink.messages)
        second = start_worker()
        # Everything but the message in flight, without the sweep.
        wait_until(lambda: len(sink.messages) >= BURST - 1, timeout=120)
        all_but_one = time.monotonic() - killed_at
        assert _sweep_until_drained(ids, sink, timeout=180), list(
            Delivery.objects.exclude(status=Delivery.Status.SENT).values(
                "pk", "status", "claimed_at", "takebacks", "attempts", "queued_at", "not_before"
            )
        )
        drained = time.monotonic() - killed_at
        wait_until(lambda: False, timeout=5)  # nothing more arrives
    finally:
        stop_worker(worker)
        if second is not None:
            stop_worker(second)
    figures = _figures(sink, ids)
    figures.update(
        sent_at_kill=sent_at_kill,
        seconds_to_all_but_the_one_in_flight=round(all_but_one, 1),
        seconds_to_drain=round(drained, 1),
        stale_claim_seconds=settings.NOTIFICATIONS_STALE_CLAIM_SECONDS,
        requeue_after_seconds=settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS,
        statuses=dict(Counter(Delivery.objects.values_list("status", flat=True))),
    )
    _report("worker -9", figures, record_property)
    assert figures["lost"] == 0
    assert figures["unexpected"] == []
    assert figures["repeated"] in (0, 1)  # only the message in flight
    assert figures["repeats_with_same_message_id"] == figures["repeated"]
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()


def test_database_cut_mid_burst(transactional_db, sink, settings, record_property):
    if connection.vendor != "postgresql":
        pytest.fail("This experiment needs PostgreSQL (DATABASE_URL=postgres://...).")
    proxy = TcpProxy(int(connection.settings_dict.get("PORT") or 5432)).start()
    worker = start_worker(database_url=database_url_for_child(port=proxy.port))
    try:
        ids = _burst(_people(BURST, "cut"), "cut")
        assert wait_until(lambda: len(sink.messages) >= 30, timeout=120)
        sent_at_cut = len(sink.messages)
        cut_at = time.monotonic()
        proxy.cut(15)
        # No sweep: the tasks themselves must come through the outage.
        drained_without_sweep = wait_until(
            lambda: len({str(m["X-Portal-Delivery"]) for m in sink.messages}) >= BURST,
            timeout=150,
        )
        to_drain = time.monotonic() - cut_at
        statuses_before_sweep = dict(Counter(Delivery.objects.values_list("status", flat=True)))
        wait_until(
            lambda: not Delivery.objects.exclude(status=Delivery.Status.SENT).exists(), timeout=30
        )
        wait_until(lambda: False, timeout=5)
    finally:
        stop_worker(worker)
        proxy.stop()
    figures = _figures(sink, ids)
    figures.update(
        sent_at_cut=sent_at_cut,
        cut_seconds=15,
        drained_without_sweep=drained_without_sweep,
        seconds_from_cut_to_drain=round(to_drain, 1),
        statuses_before_sweep=statuses_before_sweep,
        statuses=dict(Counter(Delivery.objects.values_list("status", flat=True))),
    )
    _report("database cut", figures, record_property)
    assert figures["lost"] == 0
    assert drained_without_sweep
    assert figures["repeats_with_same_message_id"] == figures["repeated"]
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
