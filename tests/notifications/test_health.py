"""The operators' health endpoint beside /healthz/: counts only, a bearer token or a staff
session, and 503 once deliveries wait too long, fail, or the sweep (beat) stops."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.notifications import services
from apps.notifications.models import Delivery

URL = "/healthz/deliveries/"


@pytest.fixture
def token(settings):
    settings.HEALTH_TOKEN = "t0ken-for-monitoring"
    return "t0ken-for-monitoring"


def get(client, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(URL, headers=headers)


def test_the_url_sits_beside_healthz():
    assert reverse("notifications:health") == URL


def test_all_well_with_the_token(client, db, token):
    services.heartbeat_record(name=services.SWEEP_HEARTBEAT)
    response = get(client, token)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["beat_alive"] is True
    assert body["oldest_waiting_seconds"] == 0
    assert body["failed_last_day"] == 0
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("given", [None, "wrong", ""])
def test_no_figures_without_the_token(client, db, token, given):
    response = get(client, given)
    assert response.status_code == 401
    assert "failed_last_day" not in response.content.decode()


def test_an_empty_token_setting_never_matches(client, db, settings):
    settings.HEALTH_TOKEN = ""
    response = client.get(URL, headers={"Authorization": "Bearer "})
    assert response.status_code == 401


def test_staff_may_read_it_and_other_roles_may_not(client, staff, clinician):
    services.heartbeat_record(name=services.SWEEP_HEARTBEAT)
    client.force_login(clinician)
    assert client.get(URL).status_code == 403
    client.force_login(staff)
    assert client.get(URL).status_code == 200


def test_no_sweep_means_beat_is_down(client, db, token):
    response = get(client, token)
    assert response.status_code == 503
    assert response.json()["problems"] == ["sweep_not_running"]


def test_a_stale_sweep_means_beat_is_down(client, db, token, settings):
    old = timezone.now() - timedelta(seconds=settings.HEALTH_MAX_SWEEP_AGE_SECONDS + 5)
    services.heartbeat_record(name=services.SWEEP_HEARTBEAT, now=old)
    response = get(client, token)
    assert response.status_code == 503
    assert response.json()["beat_alive"] is False


def test_the_sweep_task_records_its_heartbeat(client, db, token):
    from apps.notifications.tasks import sweep_deliveries

    sweep_deliveries()
    assert get(client, token).status_code == 200


def test_a_delivery_waiting_too_long_is_503(client, patient, token, settings):
    services.heartbeat_record(name=services.SWEEP_HEARTBEAT)
    delivery = services.notification_queue(
        recipient=patient, kind="portal_update", event_key="h:1"
    ).deliveries.get()
    assert get(client, token).status_code == 200  # just queued
    waited = settings.HEALTH_MAX_WAITING_SECONDS + 60
    Delivery.objects.filter(pk=delivery.pk).update(
        not_before=timezone.now() - timedelta(seconds=waited)
    )
    response = get(client, token)
    assert response.status_code == 503
    assert response.json()["problems"] == ["deliveries_waiting"]
    assert response.json()["oldest_waiting_seconds"] >= waited


def test_held_deliveries_are_not_waiting(client, patient, token):
    """Quiet hours hold a delivery on purpose: not due, so not late."""
    services.heartbeat_record(name=services.SWEEP_HEARTBEAT)
    delivery = services.notification_queue(
        recipient=patient, kind="portal_update", event_key="h:2"
    ).deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now() + timedelta(hours=8))
    assert get(client, token).json()["oldest_waiting_seconds"] == 0


def test_a_failed_delivery_in_the_last_day_is_503(client, patient, token, settings, monkeypatch):
    services.heartbeat_record(name=services.SWEEP_HEARTBEAT)
    settings.NOTIFICATIONS_RETRY_FOR_SECONDS = 0

    def refuse(**kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("apps.notifications.channels.email_send", refuse)
    delivery = services.notification_queue(
        recipient=patient, kind="portal_update", event_key="h:3"
    ).deliveries.get()
    services.delivery_send(delivery_id=delivery.pk)
    response = get(client, token)
    assert response.status_code == 503
    assert response.json()["failed_last_day"] == 1
    assert "deliveries_failed" in response.json()["problems"]


def test_the_report_costs_a_fixed_number_of_queries(
    client, patient, token, django_assert_num_queries
):
    services.heartbeat_record(name=services.SWEEP_HEARTBEAT)
    for n in (2, 10):
        for i in range(n):
            services.notification_queue(
                recipient=patient, kind="portal_update", event_key=f"q{n}:{i}"
            )
        # oldest waiting delivery, failed in the last day, the sweep's heartbeat
        with django_assert_num_queries(3):
            get(client, token)
