"""The clinician's treatment caseload: adherence, risk flags, allow-listed sorting and
filtering, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.dosing.caseload import caseload_rows_for
from apps.dosing.concerns import concern_raise
from apps.dosing.models import Outcome
from tests.conftest import make_user
from tests.dosing.conftest import NOW
from tests.dosing.escalation_helpers import make_plan, record

START = NOW.date() - dt.timedelta(days=10)


def _patient_with_history(clinician, i, *, missed=0):
    patient = make_user(f"case{i}@test.example", Role.PATIENT, clinician=clinician, name=f"P{i:02}")
    plan = make_plan(patient, clinician, start=START, days=14)
    for n in range(10):
        day = START + dt.timedelta(days=n)
        record(plan, day, Outcome.MISSED if n >= 10 - missed else Outcome.WITNESSED, clinician)
    return patient


def test_rows_show_adherence_and_flags(clinician, patient, supervisor, consent):
    _patient_with_history(clinician, 1, missed=2)
    _patient_with_history(clinician, 2)
    rows = {r.name: r for r in caseload_rows_for(user=clinician)}
    assert (rows["P01"].taken_7, rows["P01"].due_7, rows["P01"].missed_week) == (5, 7, 2)
    assert rows["P01"].unprotected  # last dose taken 3 days ago
    assert rows["P02"].adherence_7 == 100
    assert not rows["P02"].unprotected  # 9:05am yesterday, 50 mg: until 9:05am today (8:00 now)


def test_filter_and_sort_use_allow_listed_values(clinician):
    _patient_with_history(clinician, 1, missed=2)
    _patient_with_history(clinician, 2)
    assert [r.name for r in caseload_rows_for(user=clinician, flag="missed")] == ["P01"]
    assert [r.name for r in caseload_rows_for(user=clinician, sort="adherence_7")] == ["P01", "P02"]
    # unknown values: the whole list in name order, never an error
    assert [r.name for r in caseload_rows_for(user=clinician, flag="x'--", sort="pk")] == [
        "P01",
        "P02",
    ]


def test_an_open_concern_is_flagged(clinician, patient, supervisor, consent):
    make_plan(patient, clinician, start=START)
    concern_raise(actor=supervisor, patient=patient, what_seen="Seemed unwell.", worry="quite")
    (row,) = caseload_rows_for(user=clinician, flag="concern")
    assert row.patient_id == patient.pk


@pytest.mark.parametrize("query", ["?sort=%00", "?flag=<script>", "?sort=name&flag=liver"])
def test_the_page_answers_bad_parameters_with_a_clean_list(client, clinician, query):
    _patient_with_history(clinician, 1)
    client.force_login(clinician)
    response = client.get(reverse("escalation:caseload") + query)
    assert response.status_code == 200


def test_another_clinicians_patients_are_not_listed(client, other_clinician, clinician):
    _patient_with_history(clinician, 1)
    client.force_login(other_clinician)
    assert "P01" not in client.get(reverse("escalation:caseload")).content.decode()


def test_the_caseload_page_query_count_is_fixed(client, clinician, django_assert_num_queries):
    client.force_login(clinician)
    client.get(reverse("escalation:caseload"))  # warm: session stamp and clinic settings kept
    made = 0
    for n in (2, 10):
        for i in range(made, n):
            _patient_with_history(clinician, i, missed=i % 3)
        made = n
        # Expected: session, user, the last dose taken on every plan shown (one window query),
        # the rows in one query, the read audit (one insert) and the header's
        # unread-notifications count (the two-factor answer is in the cache).
        with django_assert_num_queries(6):
            body = client.get(reverse("escalation:caseload")).content.decode()
        assert body.count("/clinician/patients/") >= n
