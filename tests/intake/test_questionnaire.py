"""The patient's questionnaire: saving step by step, validation, resuming, the self-harm
trigger, and sending it to the clinic."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError
from apps.intake import services
from apps.intake.models import EligibilityAssessment, PathwayState, QuestionnaireResponse
from apps.intake.selectors import answers_of, pathway_state_of
from apps.worklist.models import Task
from tests.intake.conftest import answers, fill


def post_step(client, step, data):
    return client.post(reverse("intake:step", args=[step]), data)


ABOUT = {"date_of_birth": "1990-05-01", "indication": "opioids", "alcohol_goal": ""}


def test_saving_a_step_stores_the_answers_and_moves_to_the_next_step(client, patient):
    client.force_login(patient)
    response = post_step(client, "about", ABOUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:step", args=["substances"])
    assert answers_of(patient)["about"]["date_of_birth"] == "1990-05-01"
    assert pathway_state_of(patient) == PathwayState.INTAKE
    assert AuditEvent.objects.filter(action="intake.step_saved", detail={"step": "about"}).exists()


def test_a_future_last_use_date_is_refused_and_nothing_changes(client, patient):
    client.force_login(patient)
    good = {
        "opioid_classes": ["short_acting"],
        "last_short_acting": "2026-01-01",
        "currently_dependent": "no",
    }
    post_step(client, "substances", good)
    before = answers_of(patient)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = post_step(client, "substances", {**good, "last_short_acting": tomorrow})
    assert response.status_code == 200
    assert "The date of last use cannot be in the future." in response.content.decode()
    assert answers_of(patient) == before


def test_an_age_under_18_is_refused_with_a_kind_message(client, patient):
    client.force_login(patient)
    young = (timezone.localdate() - dt.timedelta(days=17 * 365)).isoformat()
    response = post_step(client, "about", {**ABOUT, "date_of_birth": young})
    assert response.status_code == 200
    assert "This treatment is for people aged 18 or over." in response.content.decode()
    assert not QuestionnaireResponse.objects.filter(patient=patient).exists()
    assert pathway_state_of(patient) == PathwayState.INVITED


def test_a_missing_required_answer_is_shown_next_to_the_question(client, patient):
    client.force_login(patient)
    response = post_step(client, "gad_7", {"gad_1": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Answer this question to continue." in body
    assert 'class="error-summary"' in body
    assert not QuestionnaireResponse.objects.filter(patient=patient).exists()


def test_an_alcohol_goal_is_required_for_alcohol(client, patient):
    client.force_login(patient)
    response = post_step(client, "about", {**ABOUT, "indication": "alcohol"})
    assert "Tell us your goal for alcohol." in response.content.decode()


def test_the_questionnaire_resumes_on_another_device(patient):
    laptop, phone = Client(), Client()
    laptop.force_login(patient)
    post_step(laptop, "about", ABOUT)
    post_step(laptop, "gad_7", {f"gad_{n}": "2" for n in range(1, 8)})
    phone.force_login(patient)
    page = phone.get(reverse("intake:task-list")).content.decode()
    assert "You have completed 2 of 10 parts. 8 parts are still to do." in page
    step = phone.get(reverse("intake:step", args=["about"])).content.decode()
    assert 'value="1990-05-01"' in step
    gad = phone.get(reverse("intake:step", args=["gad_7"])).content.decode()
    checked = re.findall(r'<input[^>]*name="gad_1"[^>]*checked[^>]*>', gad)
    assert len(checked) == 1
    assert 'value="2"' in checked[0]


def test_full_audit_waits_for_audit_c_and_is_only_needed_when_positive(patient):
    with pytest.raises(ServiceError):
        services.questionnaire_step_save(actor=patient, step="audit", answers={})
    services.questionnaire_step_save(
        actor=patient, step="audit_c", answers={"audit_1": 1, "audit_2": 2, "audit_3": 1}
    )  # 4: negative
    with pytest.raises(ServiceError):
        services.questionnaire_step_save(actor=patient, step="audit", answers={})
    services.questionnaire_step_save(
        actor=patient, step="audit_c", answers={"audit_1": 2, "audit_2": 2, "audit_3": 1}
    )  # 5: positive
    rest = {f"audit_{n}": 1 for n in range(4, 9)} | {"audit_9": 0, "audit_10": 2}
    saved = services.questionnaire_step_save(actor=patient, step="audit", answers=rest)
    assert saved.response.scores["audit"]["total"] == 5 + 5 + 2
    assert saved.response.scores["audit"]["band"] == "hazardous"


def test_phq9_item9_above_zero_raises_one_urgent_task_and_shows_where_to_get_help(
    client, patient, clinician
):
    client.force_login(patient)
    data = {f"phq_{n}": "0" for n in range(1, 10)} | {"phq_9": "1"}
    response = post_step(client, "phq_9", data)
    assert response["Location"] == reverse("intake:help-now")
    task = Task.objects.get(patient=patient)
    assert (task.priority, task.status, task.assignee_id) == ("urgent", "open", clinician.pk)
    assert (task.kind, task.rule_code, task.threshold) == (
        "intake.self_harm",
        "intake.phq9_item9",
        ">0",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Samaritans: call 116 123" in page
    # Saving the step again does not raise a second task.
    post_step(client, "phq_9", data | {"phq_9": "2"})
    assert Task.objects.filter(patient=patient).count() == 1
    assert AuditEvent.objects.filter(action="worklist.task_raised").count() == 1


def test_phq9_item9_of_zero_raises_no_task(client, patient):
    client.force_login(patient)
    post_step(client, "phq_9", {f"phq_{n}": "3" for n in range(1, 9)} | {"phq_9": "0"})
    assert not Task.objects.exists()


def test_the_urgent_task_is_at_the_top_of_the_clinicians_dashboard(client, patient, clinician):
    services.questionnaire_step_save(
        actor=patient, step="phq_9", answers={f"phq_{n}": 0 for n in range(1, 9)} | {"phq_9": 2}
    )
    client.force_login(clinician)
    body = client.get(reverse("core:clinician-dashboard")).content.decode()
    # First thing after the greeting, before anything else on the dashboard.
    greeting = body.index("<h1")
    urgent = body.index("Urgent: act on these today")
    assert greeting < urgent
    assert body[greeting:urgent].count("<section") == 1  # the urgent panel's own
    assert "Thoughts of self-harm reported" in body


def test_an_incomplete_questionnaire_cannot_be_sent(client, patient):
    services.questionnaire_step_save(actor=patient, step="about", answers=ABOUT)
    with pytest.raises(ServiceError):
        services.questionnaire_submit(actor=patient)
    assert pathway_state_of(patient) == PathwayState.INTAKE


def test_sending_stores_an_assessment_with_its_inputs_and_locks_the_answers(client, patient):
    fill(patient)
    assert pathway_state_of(patient) == PathwayState.REVIEW
    assessment = EligibilityAssessment.objects.get(patient=patient, purpose="submitted")
    assert assessment.inputs["answers"]["about"]["indication"] == "opioids"
    assert {g["code"] for g in assessment.gates} >= {"age", "liver", "urine_screen"}
    assert assessment.overall == "block"  # no tests recorded yet
    with pytest.raises(ServiceError):
        services.questionnaire_step_save(actor=patient, step="about", answers=ABOUT)
    client.force_login(patient)
    response = client.get(reverse("intake:step", args=["about"]))
    assert response.status_code == 302


def test_the_patient_dashboard_says_what_is_next(client, patient):
    client.force_login(patient)
    assert (
        "Finish your questionnaire"
        in client.get(reverse("core:patient-dashboard")).content.decode()
    )
    fill(patient, answers())
    body = client.get(reverse("core:patient-dashboard")).content.decode()
    assert "Waiting for your clinician" in body
    assert "Book your liver blood test" in body


def test_instrument_steps_show_their_licence(client, patient):
    client.force_login(patient)
    body = client.get(reverse("intake:step", args=["dast_10"])).content.decode()
    assert "Harvey A. Skinner" in body


def test_the_urgent_task_alerts_the_clinician_even_in_quiet_hours(
    patient, clinician, django_capture_on_commit_callbacks
):
    import datetime as dt

    import time_machine

    from apps.notifications.models import Delivery, Notification
    from apps.notifications.services import preference_update

    preference_update(
        actor=clinician,
        email_enabled=True,
        sms_enabled=False,
        sms_number="",
        quiet_start=dt.time(22, 0),
        quiet_end=dt.time(7, 0),
        include_details=False,
    )
    night = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)  # 2am in London: quiet hours
    answers = {f"phq_{n}": 0 for n in range(1, 9)}
    with time_machine.travel(night, tick=False), django_capture_on_commit_callbacks(execute=False):
        services.questionnaire_step_save(
            actor=patient, step="phq_9", answers=answers | {"phq_9": 1}
        )
        services.questionnaire_step_save(
            actor=patient, step="phq_9", answers=answers | {"phq_9": 2}
        )
    task = Task.objects.get(patient=patient)
    note = Notification.objects.get(recipient=clinician, kind="clinician_task")
    assert note.event_key == f"task:{task.pk}"
    assert note.is_urgent is True
    assert note.context_ids == {"task": task.pk}
    delivery = Delivery.objects.get(notification=note, channel="email")
    assert delivery.not_before is None or delivery.not_before <= night


def test_every_part_done_or_not_needed_reads_as_finished(client, patient):
    data = answers()
    data.pop("audit", None)  # AUDIT-C negative for opioids: the full AUDIT is not needed
    fill(patient, data, submit=False)
    client.force_login(patient)
    page = client.get(reverse("intake:task-list")).content.decode()
    assert "Not needed" in page
    assert "You have answered every part that applies to you." in page
    assert " of 10 parts" not in page
    assert "Send my answers to the clinic" in page
    dashboard = client.get(reverse("core:patient-dashboard")).content.decode()
    assert "You have answered every part that applies to you." in dashboard


def test_a_part_not_needed_is_not_counted_as_still_to_do(client, patient):
    data = answers()
    fill(patient, {"about": data["about"], "audit_c": data["audit_c"]}, submit=False)
    client.force_login(patient)
    page = client.get(reverse("intake:task-list")).content.decode()
    assert "You have completed 2 of 9 parts. 7 parts are still to do." in page
