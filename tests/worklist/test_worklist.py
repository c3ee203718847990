"""Clinician tasks: raised once per trigger, resolved with an outcome, listed urgent first."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError
from apps.worklist.models import Task
from apps.worklist.selectors import task_list_for
from apps.worklist.services import task_raise, task_resolve
from tests.conftest import make_user


def raise_for(patient, key="k1", priority="urgent"):
    return task_raise(
        patient=patient,
        kind="intake.self_harm",
        rule_code="test.rule",
        trigger_key=key,
        priority=priority,
        threshold=">0",
    )


def test_the_same_trigger_raises_one_task(patient, clinician):
    first, created = raise_for(patient)
    again, created_again = raise_for(patient)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert first.assignee_id == clinician.pk
    assert AuditEvent.objects.filter(action="worklist.task_raised").count() == 1
    _, other = raise_for(patient, key="k2")
    assert other
    assert Task.objects.count() == 2


NOTE = "Spoke for 20 minutes; no plans or intent; safety plan agreed, GP informed."


def test_resolving_records_who_when_the_outcome_and_the_note(patient, clinician):
    task, _ = raise_for(patient)
    task_resolve(actor=clinician, task=task, outcome_code="called_back", note=NOTE, confirmed=True)
    task.refresh_from_db()
    assert (task.status, task.resolved_by_id, task.outcome_code, task.note) == (
        "done",
        clinician.pk,
        "called_back",
        NOTE,
    )
    assert task.resolved_at is not None
    assert NOTE not in str(AuditEvent.objects.values_list("detail", flat=True))
    with pytest.raises(ServiceError):
        task_resolve(
            actor=clinician, task=task, outcome_code="called_back", note=NOTE, confirmed=True
        )


def test_an_unknown_outcome_is_refused(patient, clinician):
    task, _ = raise_for(patient)
    with pytest.raises(ServiceError):
        task_resolve(actor=clinician, task=task, outcome_code="whatever", note=NOTE, confirmed=True)


def test_another_clinician_cannot_resolve(patient, other_clinician):
    task, _ = raise_for(patient)
    with pytest.raises(PermissionDenied):
        task_resolve(
            actor=other_clinician, task=task, outcome_code="seen", note=NOTE, confirmed=True
        )


def test_an_urgent_task_needs_a_note_and_a_confirmation(patient, clinician):
    task, _ = raise_for(patient)
    with pytest.raises(ServiceError, match="note of at least 20"):
        task_resolve(actor=clinician, task=task, outcome_code="seen", note="ok", confirmed=True)
    with pytest.raises(ServiceError, match="Confirm"):
        task_resolve(actor=clinician, task=task, outcome_code="seen", note=NOTE)
    task.refresh_from_db()
    assert task.status == "open"


def test_a_normal_task_closes_in_one_step_without_a_note(patient, clinician):
    task, _ = raise_for(patient, priority="normal")
    task_resolve(actor=clinician, task=task, outcome_code="not_needed")
    task.refresh_from_db()
    assert task.status == "done"


def test_the_database_refuses_a_closed_urgent_task_without_a_note(patient, clinician):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    task, _ = raise_for(patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(
            status="done", resolved_by=clinician, resolved_at=timezone.now(), outcome_code="seen"
        )


def test_closing_an_urgent_task_on_the_page_is_deliberate(client, patient, clinician):
    task, _ = raise_for(patient)
    client.force_login(clinician)
    page = client.get(reverse("worklist:task-list")).content.decode()
    assert "Thoughts of self-harm reported" in page
    url = reverse("worklist:task-resolve", args=[task.pk])
    form = client.get(url).content.decode()
    # No outcome is preselected: every choice is an unchecked radio button.
    assert 'type="radio"' in form
    assert "checked" not in form
    assert "Your risk assessment" in form
    # Nothing chosen, no note: errors next to the fields, task still open.
    empty = client.post(url, {})
    assert "Choose what happened." in empty.content.decode()
    assert "Write what you did and found." in empty.content.decode()
    # Outcome and note: the confirmation step, still open.
    check = client.post(url, {"outcome_code": "called_back", "note": NOTE})
    assert check.status_code == 200
    assert "Check before you close this urgent task" in check.content.decode()
    task.refresh_from_db()
    assert task.status == "open"
    # Going back keeps the answers and closes nothing.
    back = client.post(url, {"outcome_code": "called_back", "note": NOTE, "edit": "1"})
    assert "Continue" in back.content.decode()
    task.refresh_from_db()
    assert task.status == "open"
    done = client.post(url, {"outcome_code": "called_back", "note": NOTE, "confirmed": "on"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.note) == ("done", NOTE)
    assert "Thoughts of self-harm" not in client.get(reverse("worklist:task-list")).content.decode()


def test_urgent_tasks_come_first(client, patient, clinician):
    raise_for(patient, key="normal", priority="normal")
    raise_for(patient, key="urgent", priority="urgent")
    assert [t.trigger_key for t in task_list_for(user=clinician)] == ["urgent", "normal"]


def _patients(clinician, n, start):
    return [
        make_user(f"p{start + i}@test.example", Role.PATIENT, clinician=clinician) for i in range(n)
    ]


def test_worklist_queries_do_not_grow(client, clinician, django_assert_num_queries):
    client.force_login(clinician)
    client.get(
        reverse("worklist:task-list")
    )  # warm: the clinic settings are kept by the process after one read
    made = 0
    for n in (2, 10):
        for p in _patients(clinician, n - made, made):
            raise_for(p)
        made = n
        # session, user, (the two-factor answer is cached) tasks with their patients, unread notifications
        # (header), and one insert of the audit rows for the patients shown
        with django_assert_num_queries(5):
            assert client.get(reverse("worklist:task-list")).status_code == 200
