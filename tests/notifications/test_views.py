"""The inbox and settings pages, the header count, and the staff admin for failed deliveries."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.notifications import services
from apps.notifications.models import Delivery, Notification, NotificationPreference
from tests.notifications.conftest import run_deliveries


def queue(user, key, **kwargs):
    return services.notification_queue(
        recipient=user, kind="portal_update", event_key=key, **kwargs
    )


def test_inbox_lists_own_notifications_and_header_counts_unread(client, patient, other_patient):
    queue(patient, "v:1")
    queue(patient, "v:2")
    queue(other_patient, "v:3")
    client.force_login(patient)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert len(response.context["items"]) == 2
    assert response.context["unread_notifications"] == 2
    assert b"There is something new for you in the portal." in response.content
    assert b'<span class="site-header__count">2' in response.content


def test_open_marks_read_and_goes_to_the_page(client, clinician, patient):
    notification = services.notification_queue(
        recipient=clinician,
        kind="missed_dose_alert",
        event_key="v:4",
        context_ids={"patient": patient.pk},
    )
    client.force_login(clinician)
    response = client.post(
        reverse("notifications:notification-read", args=[notification.pk]), {"open": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:patient-detail", args=[patient.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_row_of_a_retired_kind_still_shows(client, patient):
    notification = queue(patient, "v:old")
    Notification.objects.filter(pk=notification.pk).update(kind="retired_kind")
    client.force_login(patient)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert response.context["items"][0].url == reverse("notifications:inbox")


def test_mark_all_read(client, patient):
    queue(patient, "v:5")
    queue(patient, "v:6")
    client.force_login(patient)
    response = client.post(reverse("notifications:inbox-read-all"), follow=True)
    assert response.context["unread_notifications"] == 0
    assert not Notification.objects.filter(recipient=patient, read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(client, patient, other_patient):
    theirs = queue(other_patient, "v:7")
    client.force_login(patient)
    response = client.post(reverse("notifications:notification-read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_queries_do_not_grow_with_rows(client, patient, django_assert_num_queries):
    client.force_login(patient)
    client.get(
        reverse("notifications:inbox")
    )  # warm: the clinic settings are kept by the process after one read
    for count in (2, 10):
        for i in range(count):
            queue(patient, f"q:{count}:{i}")
        # session, user, the inbox rows, unread count (header); the session's activity stamp
        # is written at most once a minute
        with django_assert_num_queries(4):
            response = client.get(reverse("notifications:inbox"))
        assert (
            len(response.context["items"]) == Notification.objects.filter(recipient=patient).count()
        )


def test_preferences_page_saves_and_audits(client, supervisor):
    client.force_login(supervisor)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"email_enabled": "on", "quiet_start": "21:30", "quiet_end": "07:15"},
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=supervisor)
    assert (pref.quiet_start, pref.quiet_end) == (time(21, 30), time(7, 15))
    assert AuditEvent.objects.filter(
        action="notifications.preferences_changed", actor=supervisor
    ).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"sms_enabled": "on"}, "sms_number", "Enter a mobile number"),
        ({"quiet_start": "22:00"}, "quiet_end", "Enter both a start and an end time"),
        ({"quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start", "Enter a valid time"),
    ],
)
def test_bad_preferences_show_the_error_by_the_field(client, patient, data, field, message):
    client.force_login(patient)
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not NotificationPreference.objects.filter(user=patient).exists()


# --- Staff: failed deliveries in the admin -------------------------------------------------------


def _failed(patient, monkeypatch, settings):
    settings.NOTIFICATIONS_RETRY_FOR_SECONDS = 0

    def refuse(**kwargs):
        raise ConnectionRefusedError

    with monkeypatch.context() as m:
        m.setattr("apps.notifications.channels.email_send", refuse)
        delivery = queue(patient, "f:1").deliveries.get()
        run_deliveries(delivery)
    return delivery


def test_staff_see_failed_deliveries_and_retry_them(
    client, staff, patient, monkeypatch, settings, django_capture_on_commit_callbacks
):
    delivery = _failed(patient, monkeypatch, settings)
    client.force_login(staff)
    url = reverse("admin:notifications_delivery_changelist")
    response = client.get(url, {"status__exact": "failed"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [delivery]
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            url, {"action": "retry", "_selected_action": [delivery.pk]}, follow=True
        )
    assert response.status_code == 200
    assert len(callbacks) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert AuditEvent.objects.filter(action="notifications.delivery_retried", actor=staff).exists()


@pytest.mark.parametrize("term", ["abc", "1", "portal_update:1"])
def test_delivery_admin_search_never_breaks(client, staff, patient, term):
    queue(patient, "s:1")
    client.force_login(staff)
    response = client.get(reverse("admin:notifications_delivery_changelist"), {"q": term})
    assert response.status_code == 200


def test_other_roles_cannot_open_the_delivery_admin(client, clinician):
    client.force_login(clinician)
    response = client.get(reverse("admin:notifications_delivery_changelist"))
    assert response.status_code == 302  # to the admin sign-in: not staff
