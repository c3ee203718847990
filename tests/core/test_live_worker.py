"""End to end through a real broker: the web side queues a task after commit, a real worker
process picks it up from Redis and writes to the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from apps.accounts.models import Invitation
from apps.accounts.roles import Role
from apps.accounts.tasks import expire_invitations
from apps.audit.models import AuditEvent
from tests.conftest import make_user
from tests.live import wait_until

pytestmark = pytest.mark.live_worker


def test_redis_is_real() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.ping() is True
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL


def test_worker_runs_a_task_end_to_end(live_worker) -> None:
    clinician = make_user("live.clinician@test.example", Role.CLINICIAN)
    invitation = Invitation.objects.create(
        email="late@test.example",
        full_name="Late Person",
        role=Role.PATIENT,
        invited_by=clinician,
        clinician=clinician,
        nonce="n",
        expires_at=timezone.now() - timedelta(minutes=1),
    )

    expire_invitations.delay()

    def expired() -> bool:
        invitation.refresh_from_db()
        return invitation.status == Invitation.Status.EXPIRED

    assert wait_until(expired, timeout=60), "the worker did not expire the invitation"
    event = AuditEvent.objects.get(action="accounts.invitation_expired")
    assert event.actor is None
    assert event.actor_role == "system"
