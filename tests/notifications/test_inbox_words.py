"""In the portal a notification says what happened and opens the page it is about; e-mail and
text messages stay generic (no names, no clinical words); a task's notification is read once
the task is closed."""

from __future__ import annotations

from django.urls import reverse

from apps.notifications import services
from apps.notifications.models import Notification
from apps.notifications.rendering import message_render
from apps.worklist import services as worklist
from apps.worklist.models import Task


def raise_task(patient, key="k1", kind="intake.review_ready", priority=Task.Priority.NORMAL):
    task, _ = worklist.task_raise(
        patient=patient, kind=kind, rule_code="test.rule", trigger_key=key, priority=priority
    )
    return task, Notification.objects.get(kind="clinician_task", event_key=f"task:{task.pk}")


def test_a_task_notification_names_the_patient_and_the_task(client, clinician, patient):
    raise_task(patient)
    client.force_login(clinician)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "New task for Pat Patient: Questionnaire ready for review." in page
    assert "There is a new task on your worklist." not in page


def test_open_goes_to_the_task_itself(client, clinician, patient):
    task, notification = raise_task(patient)
    urgent, urgent_note = raise_task(
        patient, key="k2", kind="dosing.missed_urgent", priority=Task.Priority.URGENT
    )
    client.force_login(clinician)
    read = "notifications:notification-read"
    response = client.post(reverse(read, args=[notification.pk]), {"open": "1"})
    assert response["Location"] == reverse("worklist:task-resolve", args=[task.pk])
    response = client.post(reverse(read, args=[urgent_note.pk]), {"open": "1"})
    assert response["Location"] == reverse("escalation:task-close", args=[urgent.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_kind_without_a_page_opens_the_home_page_not_the_inbox(client, patient):
    notification = services.notification_queue(
        recipient=patient, kind="portal_update", event_key="p:1"
    )
    client.force_login(patient)
    response = client.post(
        reverse("notifications:notification-read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == reverse("core:dashboard")


def test_closing_the_task_marks_its_notification_read(clinician, patient):
    task, notification = raise_task(patient)
    assert notification.read_at is None
    worklist.task_resolve(actor=clinician, task=task, outcome_code="seen")
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    assert Notification.objects.filter(recipient=clinician, read_at__isnull=True).count() == 0


def test_email_and_text_stay_generic(clinician, patient, supervisor, consent):
    _, notification = raise_task(patient, kind="intake.self_harm", priority=Task.Priority.URGENT)
    check_in = services.notification_queue(
        recipient=supervisor,
        kind="supervision_check_in",
        event_key="alert:1",
        context_ids={"patient": patient.pk},
    )
    for n in (notification, check_in):
        message = message_render(n, include_details=False)
        assert message is not None
        for field in (message.subject, message.sms, message.text, message.html):
            for words in ("Pat Patient", "Patient", "self-harm", "Questionnaire", "PHQ-9"):
                assert words not in field, (n.kind, words, field)


def test_a_supervisor_reads_who_to_check_in_with(client, patient, supervisor, consent):
    services.notification_queue(
        recipient=supervisor,
        kind="supervision_check_in",
        event_key="alert:2",
        context_ids={"patient": patient.pk},
    )
    client.force_login(supervisor)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "No dose has been recorded for Pat Patient since their last one wore off." in page
    assert "call 999" in page


def test_inbox_queries_do_not_grow_with_named_rows(
    client, clinician, patient, django_assert_num_queries
):
    client.force_login(clinician)
    client.get(reverse("notifications:inbox"))  # warm: clinic settings
    for count in (2, 10):
        for i in range(count):
            raise_task(patient, key=f"q:{count}:{i}")
        # session, user, two-factor check (clinicians), the inbox rows, the tasks with their
        # patients (one per kind that names someone), unread count (header)
        with django_assert_num_queries(5):
            response = client.get(reverse("notifications:inbox"))
        assert len(response.context["items"]) == Task.objects.count()


def test_an_appointment_notification_says_when_and_opens_the_appointment(
    client, patient, clinician
):
    from django.utils import timezone

    from apps.counselling.words import when_text
    from tests.counselling.conftest import make_eligible
    from tests.counselling.helpers import book, open_every_day

    open_every_day(clinician)
    make_eligible(patient, clinician)
    booking = book(patient, clinician)
    notification = Notification.objects.get(
        recipient=patient, kind="appointment_confirmed", event_key=f"booking:{booking.pk}:v0"
    )
    client.force_login(patient)
    page = client.get(reverse("notifications:inbox")).content.decode()
    when = when_text(timezone.localtime(booking.starts_at))
    assert f"Your appointment on {when} is booked." in page
    response = client.post(
        reverse("notifications:notification-read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == reverse("counselling:booking-detail", args=[booking.pk])


def test_an_account_notice_says_what_changed(client, patient):
    services.notification_queue(
        recipient=patient,
        kind="account_notice",
        event_key="n:1",
        context_ids={"notice": "password_changed"},
    )
    client.force_login(patient)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "The password of your account was changed. If this was not you" in page


def test_an_ended_consent_takes_the_name_out_of_old_notifications(
    client, patient, supervisor, consent
):
    from apps.accounts import services as account_services

    services.notification_queue(
        recipient=supervisor,
        kind="supervision_check_in",
        event_key="alert:3",
        context_ids={"patient": patient.pk},
    )
    account_services.consent_revoke(actor=patient, consent=consent)
    client.force_login(supervisor)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Pat Patient" not in page
    assert "No dose has been recorded for the person you support" in page
