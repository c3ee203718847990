"""The demo clinic loads through the services and a second run changes nothing."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core.management import CommandError, call_command

from apps.accounts import access
from apps.accounts.models import User
from apps.core.demo import DEMO_PASSWORD


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_seed_demo_is_idempotent_and_links_the_demo_people(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first

    people = {u.email: u for u in User.objects.all()}
    for email in (
        "clinician@example.org",
        "staff@example.org",
        "patient@example.org",
        "patient2@example.org",
        "supervisor@example.org",
        "supervisor2@example.org",
    ):
        assert people[email].check_password(DEMO_PASSWORD)
    assert access.can_supervise(people["supervisor@example.org"], people["patient@example.org"].pk)
    assert access.can_supervise(
        people["supervisor2@example.org"], people["patient2@example.org"].pk
    )
    assert not access.can_supervise(
        people["supervisor@example.org"], people["patient2@example.org"].pk
    )
    for patient in ("patient@example.org", "patient2@example.org"):
        assert access.can_manage_patient(people["clinician@example.org"], people[patient].pk)


def test_demo_code_matches_the_clinician_authenticator(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = out.getvalue().split()[0]
    clinician = User.objects.get(email="clinician@example.org")
    totp = TOTP(Authenticator.objects.get(user=clinician, type=Authenticator.Type.TOTP))
    assert len(code) == 6
    assert totp.validate_code(code) or time.time() % 30 < 1  # the code may roll over mid-test


def test_seed_demo_refuses_unless_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
