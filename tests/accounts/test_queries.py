"""List and dashboard pages run the same number of queries whatever the number of rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from tests.conftest import link_supervisor, make_user

_counter = {"n": 0}


def add_patients(clinician, supervisor, how_many: int) -> None:
    for _ in range(how_many):
        _counter["n"] += 1
        patient = make_user(f"p{_counter['n']}@test.example", Role.PATIENT, clinician=clinician)
        link_supervisor(patient, supervisor, clinician)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_caseload_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    add_patients(clinician, supervisor, 2)
    # session, user, two-factor check, clinic settings, session update,
    # patients with supervisor counts, supervisors to confirm, open invitations
    first = count_queries(client, reverse("accounts:caseload"))
    add_patients(clinician, supervisor, 8)
    assert count_queries(client, reverse("accounts:caseload")) == first


def test_clinician_dashboard_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    add_patients(clinician, supervisor, 2)
    first = count_queries(client, reverse("core:clinician-dashboard"))
    add_patients(clinician, supervisor, 8)
    assert count_queries(client, reverse("core:clinician-dashboard")) == first


def test_supervisor_dashboard_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(supervisor)
    add_patients(clinician, supervisor, 2)
    # session, user, clinic settings, session update, patients in force, live requests
    first = count_queries(client, reverse("core:supervisor-dashboard"))
    add_patients(clinician, supervisor, 8)
    assert count_queries(client, reverse("core:supervisor-dashboard")) == first


def test_patient_pages_queries_do_not_grow(client, clinician, patient):
    client.force_login(patient)
    urls = [
        reverse("core:patient-dashboard"),
        reverse("accounts:consent-list"),
        reverse("accounts:disclosure-list"),
    ]

    def add_supervisors(n: int) -> None:
        for _ in range(n):
            _counter["n"] += 1
            supervisor = make_user(f"s{_counter['n']}@test.example", Role.SUPERVISOR)
            link_supervisor(patient, supervisor, clinician)

    add_supervisors(2)
    first = [count_queries(client, url) for url in urls]
    add_supervisors(8)
    assert [count_queries(client, url) for url in urls] == first


def test_clinician_patient_detail_queries_do_not_grow(client, clinician, patient):
    client.force_login(clinician)
    url = reverse("accounts:patient-detail", args=[patient.pk])
    for _ in range(2):
        _counter["n"] += 1
        link_supervisor(
            patient, make_user(f"d{_counter['n']}@test.example", Role.SUPERVISOR), clinician
        )
    first = count_queries(client, url)
    for _ in range(8):
        _counter["n"] += 1
        link_supervisor(
            patient, make_user(f"d{_counter['n']}@test.example", Role.SUPERVISOR), clinician
        )
    assert count_queries(client, url) == first
