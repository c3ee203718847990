"""The patient dashboard costs the same after a year of daily doses as after a few months: the
same queries, the same number of rows fetched, and none of its queries reads the whole clinic's
dose records to find one patient's last dose (docs/performance.md, third round)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.dosing import selectors
from apps.dosing.models import DoseOutcome, Outcome, ScheduledDose
from tests.conftest import make_user
from tests.dosing.conftest import NOW
from tests.dosing.escalation_helpers import make_plan

TODAY = NOW.date()
FIVE_MINUTES = dt.timedelta(minutes=5)


def _history(patient, clinician, days: int) -> None:
    """A daily plan that started `days` ago, every past dose witnessed but one in ten missed."""
    start = TODAY - dt.timedelta(days=days)
    plan = make_plan(patient, clinician, start=start, days=days + 7)
    doses = ScheduledDose.objects.filter(plan=plan, local_date__lt=TODAY).order_by("due_at")
    DoseOutcome.objects.bulk_create(
        [
            DoseOutcome(
                dose=dose,
                outcome=Outcome.MISSED if n % 10 == 3 else Outcome.WITNESSED,
                taken_at=None if n % 10 == 3 else dose.due_at + FIVE_MINUTES,
                recorded_by=clinician,
                recorded_at=dose.due_at + dt.timedelta(minutes=5),
            )
            for n, dose in enumerate(doses)
        ]
    )


class _Rows:
    """Rows the page's queries hand back to Python, counted at the database cursor."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        rows = self

        def fetchone(cursor):
            row = cursor.cursor.fetchone()
            rows.count += row is not None
            return row

        def fetchmany(cursor, size=None):
            got = cursor.cursor.fetchmany(size) if size else cursor.cursor.fetchmany()
            rows.count += len(got)
            return got

        def fetchall(cursor):
            got = cursor.cursor.fetchall()
            rows.count += len(got)
            return got

        monkeypatch.setattr(CursorWrapper, "fetchone", fetchone, raising=False)
        monkeypatch.setattr(CursorWrapper, "fetchmany", fetchmany, raising=False)
        monkeypatch.setattr(CursorWrapper, "fetchall", fetchall, raising=False)


def _cost(client, patient, monkeypatch) -> tuple[int, int, list[str]]:
    client.force_login(patient)
    url = reverse("core:patient-dashboard")
    client.get(url)  # warm: kept settings, the session's "last seen" note
    counter = _Rows(monkeypatch)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    monkeypatch.undo()
    return len(ctx.captured_queries), counter.count, [q["sql"] for q in ctx.captured_queries]


def test_the_patient_dashboard_costs_the_same_after_a_year(client, clinician, monkeypatch):
    months = make_user("months@test.example", Role.PATIENT, clinician=clinician)
    year = make_user("year@test.example", Role.PATIENT, clinician=clinician)
    # Both longer than the dashboard's 12-week window, so both pages show the same amount.
    _history(months, clinician, 100)
    _history(year, clinician, 365)
    assert ScheduledDose.objects.filter(patient=year).count() > 3 * 84

    short_queries, short_rows, _ = _cost(client, months, monkeypatch)
    long_queries, long_rows, _ = _cost(client, year, monkeypatch)

    assert long_queries == short_queries
    assert long_rows == short_rows
    # The window itself is what the page shows: far fewer rows than a year of doses.
    assert long_rows < 365


def test_no_dashboard_query_walks_the_clinics_taken_index_for_one_patient(
    client, clinician, monkeypatch
):
    """Ordered by the bare `taken_at` column, "this patient's last dose taken" lets PostgreSQL
    walk the clinic-wide `dose_outcome_taken_at` index backwards until it meets one of this
    patient's rows: 12 to 66 ms a query at 2,000 patients, the whole index when the patient has
    none (measured, docs/performance.md). The per-patient queries order by an expression so the
    plan starts from the patient's own doses; this keeps them so."""
    patient = make_user("taken@test.example", Role.PATIENT, clinician=clinician)
    _history(patient, clinician, 40)
    _, _, sqls = _cost(client, patient, monkeypatch)
    bare = re.compile(r'ORDER BY "dosing_doseoutcome"\."taken_at" DESC', re.IGNORECASE)
    per_patient = [s for s in sqls if '"dosing_scheduleddose"."patient_id" =' in s]
    assert any('"dosing_doseoutcome"' in s for s in per_patient)
    assert not [s for s in per_patient if bare.search(s)]


def test_protection_is_still_the_latest_dose_taken(clinician):
    """Same answer as before the change: the newest taken time wins, then the later record."""
    patient = make_user("latest@test.example", Role.PATIENT, clinician=clinician)
    _history(patient, clinician, 20)
    newest = (
        DoseOutcome.objects.filter(dose__patient=patient, taken_at__isnull=False)
        .order_by("-taken_at", "-pk")
        .first()
    )
    assert newest is not None
    assert newest.taken_at is not None
    # A dose recorded late, taken earlier than the newest: it must not win.
    older = ScheduledDose.objects.filter(patient=patient, outcomes__isnull=True).first()
    assert older is not None
    DoseOutcome.objects.create(
        dose=older,
        outcome=Outcome.SELF_REPORTED,
        taken_at=newest.taken_at - dt.timedelta(days=2),
        recorded_by=clinician,
        recorded_at=NOW,
    )
    protection = selectors.protection_for(patient_id=patient.pk)
    assert protection.last_taken == newest
    assert protection.last_witnessed == newest
