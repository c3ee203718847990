"""List and dashboard pages run the same number of queries with 2 rows as with 10."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from tests.conftest import link_supervisor, make_user

_counter = {"n": 0}


def _email(prefix: str) -> str:
    _counter["n"] += 1
    return f"{prefix}{_counter['n']}@test.example"


def add_patients(clinician, supervisor) -> Callable[[int], None]:
    def grow(how_many: int) -> None:
        for _ in range(how_many):
            patient = make_user(_email("p"), Role.PATIENT, clinician=clinician)
            link_supervisor(patient, supervisor, clinician)

    return grow


def add_supervisors(patient, clinician) -> Callable[[int], None]:
    def grow(how_many: int) -> None:
        for _ in range(how_many):
            link_supervisor(patient, make_user(_email("s"), Role.SUPERVISOR), clinician)

    return grow


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def assert_constant(client, urls: list[str], grow: Callable[[int], None]) -> None:
    """Render each page with 2 rows, then with 10: the counts must match."""
    grow(2)
    for url in urls:  # warm: the process keeps the clinic settings after its first read
        client.get(url)
    first = [count_queries(client, url) for url in urls]
    grow(8)
    assert [count_queries(client, url) for url in urls] == first


def test_caseload_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    # session, user, two-factor check, clinic settings, unread notifications, session update,
    # patients with supervisor counts, supervisors to confirm, open invitations
    assert_constant(client, [reverse("accounts:caseload")], add_patients(clinician, supervisor))


def test_clinician_dashboard_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    grow = add_patients(clinician, supervisor)
    assert_constant(client, [reverse("core:clinician-dashboard")], grow)


def test_supervisor_dashboard_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(supervisor)
    # session, user, clinic settings, unread notifications, session update, patients in force,
    # live requests
    grow = add_patients(clinician, supervisor)
    assert_constant(client, [reverse("core:supervisor-dashboard")], grow)


def test_patient_pages_queries_do_not_grow(client, clinician, patient):
    client.force_login(patient)
    urls = [
        reverse("core:patient-dashboard"),
        reverse("accounts:consent-list"),
        reverse("accounts:disclosure-list"),
    ]
    assert_constant(client, urls, add_supervisors(patient, clinician))


def test_clinician_patient_detail_queries_do_not_grow(client, clinician, patient):
    client.force_login(clinician)
    url = reverse("accounts:patient-detail", args=[patient.pk])
    assert_constant(client, [url], add_supervisors(patient, clinician))
