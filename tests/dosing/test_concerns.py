"""Supervisors' concerns (tier 3) and closing urgent dosing tasks on purpose."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError
from apps.dosing import concerns
from apps.dosing.escalation_models import Alert, Concern, Rule, UrgentTaskClosure
from apps.worklist import services as worklist_services
from apps.worklist.models import Task
from tests.dosing.escalation_helpers import make_plan

D0 = dt.date(2026, 1, 5)


def _raise(supervisor, patient, **extra):
    fields = {"what_seen": "Very drowsy at the dose.", "worry": "very"} | extra
    return concerns.concern_raise(actor=supervisor, patient=patient, **fields)


def test_a_concern_raises_an_urgent_task_for_the_clinician(patient, supervisor, clinician, consent):
    make_plan(patient, clinician, start=D0)
    concern = _raise(supervisor, patient)
    task = concern.task
    assert (task.kind, task.priority, task.assignee) == ("dosing.concern", "urgent", clinician)
    alert = Alert.objects.get(rule=Rule.TIER3_CONCERN)
    assert (alert.tier, alert.task, alert.key) == (3, task, f"concern:{concern.pk}")
    event = AuditEvent.objects.get(action="dosing.concern_raised")
    assert "drowsy" not in str(event.detail)  # no clinical text in the audit log


def test_suspected_opioid_use_also_raises_a_reinduction_check(patient, supervisor, consent):
    _raise(supervisor, patient, opioid_use_suspected=True)
    kinds = set(Task.objects.filter(patient=patient).values_list("kind", flat=True))
    assert {"dosing.concern", "dosing.reinduction"} <= kinds


def test_a_supervisor_without_consent_cannot_raise_a_concern(patient, stray_supervisor):
    with pytest.raises(PermissionDenied):
        _raise(stray_supervisor, patient)
    assert not Concern.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"what_seen": "   "}, "what_seen"), ({"worry": "terrified"}, "worry")],
)
def test_a_concern_needs_words_and_a_worry(patient, supervisor, consent, fields, field):
    with pytest.raises(ServiceError) as exc:
        _raise(supervisor, patient, **fields)
    assert exc.value.field == field
    assert not Concern.objects.exists()
    assert not Task.objects.filter(kind="dosing.concern").exists()


def test_the_supervisor_sees_it_was_received_never_what_the_clinician_did(
    client, patient, supervisor, clinician, consent
):
    client.force_login(supervisor)
    url = reverse("escalation:concern-create", kwargs={"patient_id": patient.pk})
    response = client.post(url, {"what_seen": "Slurred speech.", "worry": "quite"}, follow=True)
    body = response.content.decode()
    assert "The clinic has received your concern" in body
    assert "Received by the clinic on" in body
    task = Task.objects.get(kind="dosing.concern")
    concerns.urgent_task_close(
        actor=clinician,
        task=task,
        outcome_code="called_back",
        note="Agreed an appointment tomorrow.",
        called_whom="the patient",
        called_at=timezone.now(),
        confirmed=True,
    )
    body = client.get(url).content.decode()
    assert "Spoke to the patient" not in body
    assert "appointment tomorrow" not in body
    assert "Slurred" not in body  # not even their own words echoed back


def test_a_bad_concern_form_shows_the_errors_and_changes_nothing(
    client, patient, supervisor, consent
):
    client.force_login(supervisor)
    url = reverse("escalation:concern-create", kwargs={"patient_id": patient.pk})
    body = client.post(url, {"what_seen": "", "worry": "nope"}).content.decode()
    assert "Say what you saw or heard." in body
    assert not Concern.objects.exists()


# --- Closing urgent tasks on purpose ------------------------------------------------------------


@pytest.fixture
def concern_task(patient, supervisor, consent):
    return _raise(supervisor, patient).task


def test_the_worklist_one_click_close_is_refused_for_urgent_dosing_tasks(clinician, concern_task):
    with pytest.raises(ServiceError):
        worklist_services.task_resolve(actor=clinician, task=concern_task, outcome_code="seen")
    concern_task.refresh_from_db()
    assert concern_task.status == Task.Status.OPEN


def test_the_close_page_has_no_preselected_outcome(client, clinician, concern_task):
    client.force_login(clinician)
    body = client.get(reverse("escalation:task-close", args=[concern_task.pk])).content.decode()
    assert 'name="outcome_code"' in body
    assert "checked" not in body


def test_closing_needs_a_confirmation_then_records_the_call(client, clinician, concern_task):
    client.force_login(clinician)
    url = reverse("escalation:task-close", args=[concern_task.pk])
    called = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "outcome_code": "called_back",
        "called_whom": "the patient",
        "called_at": called.strftime("%Y-%m-%dT%H:%M"),
        "note": "Early appointment booked.",
    }
    body = client.post(url, data).content.decode()
    assert "Check before you close this task" in body
    concern_task.refresh_from_db()
    assert concern_task.status == Task.Status.OPEN  # not yet: the confirmation comes first
    client.post(url, data | {"confirmed": "yes"})
    concern_task.refresh_from_db()
    assert concern_task.status == Task.Status.DONE
    closure = UrgentTaskClosure.objects.get(task=concern_task)
    assert (closure.called_whom, closure.closed_by, closure.called_at) == (
        "the patient",
        clinician,
        called,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"note": " "}, "note"),
        ({"called_whom": ""}, "called_whom"),
        ({"outcome_code": ""}, "outcome_code"),
        ({"confirmed": False}, "confirmed"),
        ({"called_at": "future"}, "called_at"),
    ],
)
def test_closing_refuses_missing_parts(clinician, concern_task, change, field):
    fields = {
        "outcome_code": "called_back",
        "note": "Spoke to them.",
        "called_whom": "the patient",
        "called_at": timezone.now(),
        "confirmed": True,
    } | change
    if fields["called_at"] == "future":
        fields["called_at"] = timezone.now() + dt.timedelta(hours=1)
    with pytest.raises(ServiceError) as exc:
        concerns.urgent_task_close(actor=clinician, task=concern_task, **fields)
    assert exc.value.field == field
    concern_task.refresh_from_db()
    assert concern_task.status == Task.Status.OPEN
    assert not UrgentTaskClosure.objects.exists()


def test_the_worklist_links_urgent_dosing_tasks_to_their_close_page(
    client, clinician, concern_task
):
    client.force_login(clinician)
    body = client.get(reverse("worklist:task-list")).content.decode()
    assert reverse("escalation:task-close", args=[concern_task.pk]) in body


def test_concerns_and_alerts_appear_on_the_clinicians_timeline(
    patient, supervisor, clinician, consent
):
    make_plan(patient, clinician, start=D0)
    _raise(supervisor, patient)
    from apps.dosing.selectors import timeline_for

    _patient, entries = timeline_for(user=clinician, patient_id=patient.pk)
    kinds = {e.kind for e in entries}
    assert {"alert", "concern"} <= kinds
    alert = next(e for e in entries if e.kind == "alert")
    assert alert.title == "Alert: A supervisor raised a concern (tier 3)"
    assert "Told: 1 clinician" in alert.detail
