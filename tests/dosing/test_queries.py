"""Dashboards and dose pages run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.dosing.models import DoseOutcome, ScheduledDose
from tests.conftest import link_supervisor, make_user
from tests.dosing.world import make_plan


def _count(client, url):
    # Warm: the process keeps the clinic settings after one read, and the session row records
    # "last seen" at most once a minute, so a warm request shows the page's own queries.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _people(clinician, supervisor, start, n):
    for i in range(start, start + n):
        p = make_user(f"dq{i}@test.example", Role.PATIENT, clinician=clinician)
        link_supervisor(p, supervisor, clinician)
        make_plan(p, clinician, supervisor)


def _record(patient, clinician, n):
    """Mark the patient's first n doses (from the earliest) witnessed, straight in the table."""
    for dose in ScheduledDose.objects.filter(patient=patient).order_by("due_at")[:n]:
        if not dose.outcomes.exists():
            DoseOutcome.objects.create(
                dose=dose,
                outcome="witnessed",
                taken_at=dose.due_at,
                recorded_by=clinician,
                recorded_at=timezone.now(),
            )


def test_supervisor_dashboard_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(supervisor)
    counts = []
    made = 0
    for n in (2, 10):
        _people(clinician, supervisor, made, n - made)
        made = n
        counts.append(_count(client, reverse("core:supervisor-dashboard")))
    # session, user, panels: supervised people, who has taken a first dose, their doses over
    # the last fortnight with current outcomes (2), invited sessions; the dashboard's own lists
    # (people, requests) and the read-audit rows; unread notifications (header)
    assert counts == [11, 11]
    assert counts[0] == counts[1], counts


def test_clinician_dashboard_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    counts = []
    made = 0
    for n in (2, 10):
        _people(clinician, supervisor, made, n - made)
        made = n
        counts.append(_count(client, reverse("core:clinician-dashboard")))
    # session, user, (the two-factor answer is cached) urgent tasks, intake queue, treatment panels (patients
    # ready to start, the caseload rows in one query), the appointments panel (today, caseload,
    # cadence starts: plans and intake decisions, counselling plans, bookings), the read-audit
    # rows of the patients shown (one insert), unread notifications, consents to confirm
    assert counts == [16, 16]  # with the last dose taken per plan shown (one window query)
    assert counts[0] == counts[1], counts


def test_patient_dashboard_and_dose_page_do_not_grow(
    client, patient, clinician, supervisor, consent
):
    plan = make_plan(patient, clinician, supervisor)
    # Give the plan a past so there is history to show.
    ScheduledDose.objects.filter(plan=plan).update(
        local_date=models_shift("local_date"), due_at=models_shift("due_at")
    )
    client.force_login(patient)
    counts: dict[str, list[int]] = {"dashboard": [], "page": []}
    for n in (2, 6):
        _record(patient, clinician, n)
        counts["dashboard"].append(_count(client, reverse("core:patient-dashboard")))
        counts["page"].append(_count(client, reverse("dosing:my-doses")))
    # dashboard: ... plan, today's dose + current outcomes (2), last taken dose, last witnessed
    # page: ... plan, version + supervisors (2), kit, doses + outcomes (2), last taken/witnessed
    # dashboard also: next monitoring due (the plan's version with the last test dates, clinic
    # settings), apps/dosing/monitoring.py
    assert counts["dashboard"][0] == counts["dashboard"][1], counts
    assert counts == {"dashboard": [20, 20], "page": [11, 11]}
    assert counts["page"][0] == counts["page"][1], counts


def test_plan_page_queries_do_not_grow(client, patient, clinician, supervisor, consent):
    plan = make_plan(patient, clinician, supervisor)
    ScheduledDose.objects.filter(plan=plan).update(
        local_date=models_shift("local_date"), due_at=models_shift("due_at")
    )
    client.force_login(clinician)
    counts = []
    for n in (2, 6):
        _record(patient, clinician, n)
        counts.append(_count(client, reverse("dosing:plan-detail", args=[plan.pk])))
    assert counts == [11, 11]
    assert counts[0] == counts[1], counts


def models_shift(field):
    """The field moved six days into the past (doses made from today become history)."""
    from django.db.models import F

    return F(field) - dt.timedelta(days=6)
