"""Queue and dashboard pages run a fixed number of queries, however many patients wait."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.roles import Role
from apps.intake import services
from apps.intake.selectors import intake_queue_for
from tests.conftest import make_user
from tests.intake.conftest import answers, fill


def _waiting(clinician, start, n):
    for i in range(start, start + n):
        p = make_user(f"q{i}@test.example", Role.PATIENT, clinician=clinician)
        # every other patient has an urgent task
        fill(p, answers(phq_9={"phq_9": i % 2}))


def test_intake_queue_queries_do_not_grow(client, clinician, django_assert_num_queries):
    client.force_login(clinician)
    client.get(
        reverse("intake:queue")
    )  # warm: the clinic settings are kept by the process after one read
    made = 0
    for n in (2, 10):
        _waiting(clinician, made, n - made)
        made = n
        # session, user, (the two-factor answer is cached) queue (patients + urgent counts + latest assessment
        # in one query), patients still answering, unread notifications (header), and one
        # insert of the audit rows for the patients shown (the session row is written at most
        # once a minute)
        with django_assert_num_queries(6):
            body = client.get(reverse("intake:queue")).content.decode()
        assert body.count("/intake/review/") == n


def test_clinician_dashboard_queries_do_not_grow(client, clinician, django_assert_num_queries):
    client.force_login(clinician)
    client.get(
        reverse("core:clinician-dashboard")
    )  # warm: the clinic settings are kept by the process after one read
    made = 0
    for n in (2, 10):
        _waiting(clinician, made, n - made)
        made = n
        # session, user, (the two-factor answer is cached) consents to confirm, urgent tasks panel, intake
        # queue panel, unread notifications (header), appointments panel: today's sessions,
        # caseload, intake decisions (none eligible here); treatment panels (patients ready to
        # start, the caseload rows: apps/dosing)
        with django_assert_num_queries(13):
            response = client.get(reverse("core:clinician-dashboard"))
        assert response.status_code == 200


def test_queue_puts_urgent_tasks_first(clinician):
    _waiting(clinician, 0, 4)
    queue = list(intake_queue_for(user=clinician))
    assert [getattr(p, "urgent_tasks") for p in queue]  # noqa: B009 - an annotation == [1, 1, 0, 0]


def test_patient_dashboard_query_count_is_fixed(client, patient, django_assert_num_queries):
    client.force_login(patient)
    services.questionnaire_step_save(actor=patient, step="about", answers=answers()["about"])
    client.get(
        reverse("core:patient-dashboard")
    )  # warm: the clinic settings are kept by the process after one read
    # session, user, consents, pathway state, answers, current safety version (safety panel),
    # unread notifications (header), appointments panel: next booking, intake decision (none
    # yet: no cadence), the newest treatment plan (overdose panel, apps/dosing), the open plan
    # (dose panel)
    with django_assert_num_queries(13):
        body = client.get(reverse("core:patient-dashboard")).content.decode()
    assert "You have completed 1 of" in body


def test_queue_lists_patients_still_answering_separately(client, clinician, patient):
    _waiting(clinician, 0, 1)
    services.questionnaire_step_save(actor=patient, step="about", answers=answers()["about"])
    client.force_login(clinician)
    body = client.get(reverse("intake:queue")).content.decode()
    waiting, answering = body.split("Still filling in the questionnaire")
    assert "Q0" in waiting
    assert patient.full_name in answering
