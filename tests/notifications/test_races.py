"""Races on PostgreSQL with real threads (run with the live_worker set, which uses PostgreSQL):
two workers holding the same delivery, and two requests recording the same event."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from apps.accounts.roles import Role
from apps.notifications import services
from apps.notifications.models import Delivery, Notification
from tests.conftest import make_user

pytestmark = pytest.mark.live_worker


def _together(count: int, work: Callable[[], Any]) -> list[Any]:
    if connection.vendor != "postgresql":
        pytest.fail("Races need PostgreSQL: set DATABASE_URL=postgres://...")
    barrier = threading.Barrier(count)
    results: list[Any] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as exc:  # reported through the results, not lost in the thread
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_workers_with_the_same_delivery_send_it_once(transactional_db):
    clinician = make_user("race.clinician@test.example", Role.CLINICIAN)
    delivery = services.notification_queue(
        recipient=clinician, kind="portal_update", event_key="race:1"
    ).deliveries.get()
    results = _together(4, lambda: services.delivery_send(delivery_id=delivery.pk))
    assert Counter(results) == Counter({"sent": 1, "skipped": 3})
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 1


def test_the_same_event_recorded_twice_at_once_makes_one_notification(transactional_db):
    clinician = make_user("race2.clinician@test.example", Role.CLINICIAN)
    results = _together(
        4,
        lambda: (
            services.notification_queue(
                recipient=clinician, kind="portal_update", event_key="race:2"
            ).pk
        ),
    )
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert Notification.objects.filter(event_key="race:2").count() == 1
    assert Delivery.objects.filter(notification__event_key="race:2").count() == 1
