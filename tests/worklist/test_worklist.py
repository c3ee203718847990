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


def test_resolving_records_who_when_and_the_outcome(patient, clinician):
    task, _ = raise_for(patient)
    task_resolve(actor=clinician, task=task, outcome_code="called_back")
    task.refresh_from_db()
    assert (task.status, task.resolved_by_id, task.outcome_code) == (
        "done",
        clinician.pk,
        "called_back",
    )
    assert task.resolved_at is not None
    with pytest.raises(ServiceError):
        task_resolve(actor=clinician, task=task, outcome_code="called_back")


def test_an_unknown_outcome_is_refused(patient, clinician):
    task, _ = raise_for(patient)
    with pytest.raises(ServiceError):
        task_resolve(actor=clinician, task=task, outcome_code="whatever")


def test_another_clinician_cannot_resolve(patient, other_clinician):
    task, _ = raise_for(patient)
    with pytest.raises(PermissionDenied):
        task_resolve(actor=other_clinician, task=task, outcome_code="seen")


def test_resolving_through_the_worklist_page(client, patient, clinician):
    task, _ = raise_for(patient)
    client.force_login(clinician)
    page = client.get(reverse("worklist:task-list")).content.decode()
    assert "Thoughts of self-harm reported" in page
    response = client.post(
        reverse("worklist:task-resolve", args=[task.pk]), {f"t{task.pk}-outcome_code": "seen"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
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
    made = 0
    for n in (2, 10):
        for p in _patients(clinician, n - made, made):
            raise_for(p)
        made = n
        # session, user, two-factor check, tasks with their patients, clinic settings
        # (layout), then the session save: savepoint, update, release, unread notifications
        # (header), and one insert of the audit rows for the patients shown
        with django_assert_num_queries(10):
            assert client.get(reverse("worklist:task-list")).status_code == 200
