"""The two-factor check on every clinician request is answered from the cache, per person, and
forgotten the moment their authenticator changes: removing it stops patient pages at once."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.session_rules import has_totp
from tests.conftest import make_user


def _authenticator_queries(ctx: CaptureQueriesContext) -> int:
    return sum("mfa_authenticator" in q["sql"] for q in ctx.captured_queries)


def test_the_check_is_asked_once_then_kept(client, clinician):
    client.force_login(clinician)
    client.get(reverse("accounts:caseload"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:caseload")).status_code == 200
    assert _authenticator_queries(ctx) == 0


def test_removing_the_authenticator_stops_patient_pages_on_the_next_request(client, clinician):
    client.force_login(clinician)
    assert client.get(reverse("accounts:caseload")).status_code == 200  # kept: has one
    Authenticator.objects.get(user=clinician, type=Authenticator.Type.TOTP).delete()
    response = client.get(reverse("accounts:caseload"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_setting_one_up_is_seen_on_the_next_request(db):
    fresh = make_user("fresh@test.example", Role.CLINICIAN)
    authenticator = Authenticator.objects.get(user=fresh, type=Authenticator.Type.TOTP)
    data, kind = authenticator.data, authenticator.type
    authenticator.delete()
    assert has_totp(fresh.pk) is False  # kept as "none"
    Authenticator.objects.create(user=fresh, type=kind, data=data)
    assert has_totp(fresh.pk) is True


def test_one_persons_answer_is_not_anothers(clinician, other_clinician):
    assert has_totp(clinician.pk) is True
    Authenticator.objects.filter(user=other_clinician).delete()
    assert has_totp(other_clinician.pk) is False
    assert has_totp(clinician.pk) is True
