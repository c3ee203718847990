"""Idempotency-Key under a real race on PostgreSQL (run with the live_worker set, which uses
PostgreSQL): the same POST sent twice at once does the work once and both get the same answer."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.accounts.roles import Role
from apps.api.models import IdempotentRequest
from apps.audit.models import AuditEvent
from apps.notifications import services
from apps.notifications.services import notification_queue
from tests.conftest import make_user
from tests.notifications.test_races import _together

pytestmark = pytest.mark.live_worker


def test_the_same_post_sent_twice_at_once_is_done_once(transactional_db, monkeypatch):
    patient_clinician = make_user("race.api.clinician@test.example", Role.CLINICIAN)
    patient = make_user("race.api.patient@test.example", Role.PATIENT, clinician=patient_clinician)
    note = notification_queue(recipient=patient, kind="portal_update", event_key="race:api")
    url = reverse("api:notifications-api:notification-read", kwargs={"notification_id": note.pk})
    signed_in = Client()
    signed_in.force_login(patient)
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME].value

    slow = services.notification_mark_read

    def mark_read_slowly(**kwargs):
        time.sleep(0.3)  # widen the window: the second request arrives mid-work
        return slow(**kwargs)

    monkeypatch.setattr(services, "notification_mark_read", mark_read_slowly)

    def send():
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
        response = client.post(url, content_type="application/json", HTTP_IDEMPOTENCY_KEY="race")
        return response.status_code, response.json(), response.get("Idempotent-Replayed")

    results = _together(2, send)
    assert [r[0] for r in results] == [200, 200], results
    assert results[0][1] == results[1][1]
    assert sorted(str(r[2]) for r in results) == ["None", "true"]
    assert AuditEvent.objects.filter(action="notifications.read", actor=patient).count() == 1
    assert IdempotentRequest.objects.filter(user=patient).count() == 1
