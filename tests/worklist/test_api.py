"""The API's tasks/: a clinician's open worklist tasks, urgent first, as on the web worklist.
Closed tasks, deactivated patients' tasks and another clinician's patients' tasks are never
listed; each task names the alert that raised it (if any) and its page in the portal."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.models import AuditEvent
from apps.dosing.concerns import concern_raise
from apps.dosing.escalation_models import Alert
from apps.worklist.models import Task
from apps.worklist.services import task_raise, task_resolve
from tests.conftest import make_user
from tests.dosing.world import make_plan
from tests.tokens import token_for

TASKS = reverse("api:worklist-api:task-list")
ALERTS = reverse("api:dosing-api:alert-list")
START = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
NOTE = "Spoke for 20 minutes; no plans or intent; safety plan agreed, GP informed."


def token(user) -> dict[str, str]:
    return {"HTTP_X_SESSION_TOKEN": token_for(user)}


def raise_task(patient, key, *, priority="normal", kind="counselling.overdue", hours=0):
    with time_machine.travel(START + dt.timedelta(hours=hours), tick=False):
        task, _created = task_raise(
            patient=patient, kind=kind, rule_code="test.rule", trigger_key=key, priority=priority
        )
    return task


def test_open_tasks_come_urgent_first_then_oldest_first(
    client, patient, clinician, supervisor, consent
):
    old_normal = raise_task(patient, "old-normal", hours=0)
    new_normal = raise_task(patient, "new-normal", hours=3)
    old_urgent = raise_task(patient, "old-urgent", priority="urgent", hours=1)
    # A supervisor's concern about a patient on a plan (now, after the others): an alert and
    # the urgent task it raised.
    make_plan(patient, clinician, supervisor)
    concern = concern_raise(actor=supervisor, patient=patient, what_seen="Low.", worry="quite")
    alert = Alert.objects.get(task=concern.task)

    rows = client.get(TASKS, **token(clinician)).json()["results"]

    assert [r["id"] for r in rows] == [old_urgent.pk, concern.task_id, old_normal.pk, new_normal.pk]
    assert [r["is_urgent"] for r in rows] == [True, True, False, False]
    assert [r["priority"] for r in rows] == ["urgent", "urgent", "normal", "normal"]
    first, raised, *_ = rows
    assert first == {
        "id": old_urgent.pk,
        "patient": patient.pk,
        "patient_name": patient.full_name,
        "kind": "counselling.overdue",
        "title": "Counselling session overdue",
        "action": "Contact the patient and offer an appointment.",
        "priority": "urgent",
        "is_urgent": True,
        "created_at": "2026-06-01T09:00:00Z",
        "alert": None,
        "web_url": f"{settings.SITE_URL}/worklist/tasks/{old_urgent.pk}/resolve/",
    }
    # The concern's task names its alert, and its page is the deliberate close of dosing tasks.
    assert raised["alert"] == alert.pk
    assert raised["title"] == "A supervisor raised a concern"
    assert raised["web_url"] == settings.SITE_URL + reverse(
        "escalation:task-close", args=[concern.task_id]
    )
    # The alert in alerts/ names the same task.
    (alert_row,) = client.get(ALERTS, **token(clinician)).json()["results"]
    assert alert_row["task"] == raised["id"]


def test_closed_tasks_and_deactivated_patients_tasks_are_not_listed(client, patient, clinician):
    closed = raise_task(patient, "closed", priority="urgent")
    task_resolve(actor=clinician, task=closed, outcome_code="seen", note=NOTE, confirmed=True)
    still_open = raise_task(patient, "open")
    # A second patient of the same clinician, then deactivated: their task leaves the list.
    gone = make_user("gone@test.example", Role.PATIENT, clinician=clinician)
    raise_task(gone, "gone", priority="urgent")
    assert [r["id"] for r in client.get(TASKS, **token(clinician)).json()["results"]][1:] == [
        still_open.pk
    ]
    User.objects.filter(pk=gone.pk).update(is_active=False)

    rows = client.get(TASKS, **token(clinician)).json()["results"]

    assert [r["id"] for r in rows] == [still_open.pk]
    assert Task.objects.filter(status=Task.Status.OPEN).count() == 2


def test_another_clinicians_patients_tasks_are_never_listed(
    client, patient, other_patient, clinician, other_clinician
):
    mine = raise_task(patient, "mine", priority="urgent")
    theirs = raise_task(other_patient, "theirs", priority="urgent")
    for user, expected in ((clinician, mine), (other_clinician, theirs)):
        by_token = client.get(TASKS, **token(user)).json()["results"]
        client.force_login(user)
        by_cookie = client.get(TASKS).json()["results"]
        client.logout()
        assert [r["id"] for r in by_token] == [expected.pk]
        assert [r["id"] for r in by_cookie] == [expected.pk]


def test_reading_the_list_is_on_each_listed_patients_record(client, patient, clinician):
    raise_task(patient, "seen")
    client.get(TASKS, **token(clinician))
    event = AuditEvent.objects.get(action="audit.list_viewed", patient=patient.pk)
    assert (event.actor_id, event.detail) == (clinician.pk, {"what": "worklist"})


def test_only_clinicians_read_tasks(client, patient, supervisor, staff):
    raise_task(patient, "x", priority="urgent")
    assert client.get(TASKS).status_code == 401
    for user in (patient, supervisor, staff):
        answer = client.get(TASKS, **token(user))
        assert answer.status_code == 403
        assert answer.json()["code"] == "permission_denied"
    assert client.post(TASKS, **token(patient)).status_code == 403
