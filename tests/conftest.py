"""Persona fixtures and the `world`: one of every object, made through the services.

Personas (the healthchecks idea): `patient` with `supervisor` (consent in force) and
`clinician` (responsible); `other_patient` with `stray_supervisor` and `other_clinician`;
`staff`. Clinicians and staff have two-factor sign-in set up, as the portal requires.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import SupervisorConsent, User
from apps.accounts.roles import Role
from tests.urlwalk import fill_path, url_params

pytest_plugins = ["tests.live"]


def _flush_with_audit_deletes_allowed() -> None:
    """Transactional tests end with Django's `flush`, which on SQLite DELETEs every table: the
    audit log's DELETE trigger lets exactly that through (apps/audit/sqlite.py)."""
    from django.core.management.commands import flush

    from apps.audit.sqlite import allow_flush

    original = flush.Command.handle
    if getattr(original, "portal_wrapped", False):
        return

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        with allow_flush():
            return original(self, *args, **options)

    handle.portal_wrapped = True  # type: ignore[attr-defined]
    flush.Command.handle = handle  # type: ignore[method-assign]


_flush_with_audit_deletes_allowed()

# Modules with `build(world)`: add one when an app's routes need objects in the world.
WORLD_BUILDERS: list[str] = [
    "tests.clinic.world",
    "tests.intake.world",
    "tests.notifications.world",
    "tests.counselling.world",
    "tests.dosing.world",
    "tests.dosing.escalation_world",
    "tests.api.world",
]

PASSWORD = "a-long-test-password-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _redis_db_for_this_process(url: str) -> str:
    """Each pytest-xdist process gets its own Redis database (the named one, then the ones
    below it), so one process clearing its cache never wipes another's rate-limit counters."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    offset = int(worker.removeprefix("gw") or 0)
    parts = urlsplit(url)
    base = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{max(base - offset, 0)}"))


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False
    if settings.REDIS_URL:
        caches = copy.deepcopy(settings.CACHES)
        caches["default"]["LOCATION"] = _redis_db_for_this_process(settings.REDIS_URL)
        settings.CACHES = caches


@pytest.fixture(autouse=True)
def _clear_cache(_test_settings: None) -> Any:
    # allauth's rate limits and TOTP replay markers live in the cache.
    cache.clear()
    yield
    cache.clear()


def make_user(email: str, role: Role, *, clinician: User | None = None, name: str = "") -> User:
    user = services.user_create_direct(
        email=email,
        full_name=name or email.split("@")[0].replace(".", " ").title(),
        role=role,
        password=PASSWORD,
        clinician=clinician,
    )
    if role in (Role.CLINICIAN, Role.STAFF):
        TOTP.activate(user, TOTP_SECRET)
    return user


def link_supervisor(
    patient: User, supervisor: User, clinician: User, *, confirm: bool = True
) -> SupervisorConsent:
    """Patient signs, supervisor accepts, clinician confirms: the whole consent journey."""
    consent = services.consent_grant(
        actor=patient,
        supervisor_name=supervisor.full_name,
        supervisor_email=supervisor.email,
        relationship="friend",
        expires_at=None,
        signed=True,
    )
    services.invitation_accept_existing(actor=supervisor, invitation=consent.invitation)
    consent.refresh_from_db()
    if confirm:
        consent = services.consent_confirm(actor=clinician, consent=consent)
    return consent


@pytest.fixture
def clinician(db: Any) -> User:
    return make_user("clinician@test.example", Role.CLINICIAN, name="Dr Clare Clinician")


@pytest.fixture
def other_clinician(db: Any) -> User:
    return make_user("other.clinician@test.example", Role.CLINICIAN, name="Dr Owen Other")


@pytest.fixture
def staff(db: Any) -> User:
    return make_user("staff@test.example", Role.STAFF, name="Stella Staff")


@pytest.fixture
def patient(clinician: User) -> User:
    return make_user("patient@test.example", Role.PATIENT, clinician=clinician, name="Pat Patient")


@pytest.fixture
def other_patient(other_clinician: User) -> User:
    return make_user(
        "other.patient@test.example", Role.PATIENT, clinician=other_clinician, name="Olive Other"
    )


@pytest.fixture
def supervisor(db: Any) -> User:
    return make_user("supervisor@test.example", Role.SUPERVISOR, name="Sue Supervisor")


@pytest.fixture
def stray_supervisor(db: Any) -> User:
    return make_user("stray@test.example", Role.SUPERVISOR, name="Stan Stray")


@pytest.fixture
def consent(patient: User, supervisor: User, clinician: User) -> SupervisorConsent:
    return link_supervisor(patient, supervisor, clinician)


@pytest.fixture
def other_consent(
    other_patient: User, stray_supervisor: User, other_clinician: User
) -> SupervisorConsent:
    return link_supervisor(other_patient, stray_supervisor, other_clinician)


@dataclass
class World:
    personas: dict[str, User | None]
    url_kwargs: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def reverse(self, name: str) -> str:
        """Reverse a route name (or fill an unnamed route's path pattern), taking each of its
        parameters from url_kwargs."""
        params = url_params()[name]
        unknown = params - self.url_kwargs.keys()
        assert not unknown, f"world.url_kwargs has no value for {sorted(unknown)} ({name})"
        kwargs = {p: self.url_kwargs[p] for p in params}
        if name.startswith("/"):  # an unnamed route, keyed by its path pattern
            return fill_path(name, kwargs)
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def world(
    patient: User,
    other_patient: User,
    supervisor: User,
    stray_supervisor: User,
    clinician: User,
    other_clinician: User,
    staff: User,
    consent: SupervisorConsent,
    other_consent: SupervisorConsent,
) -> World:
    invitation = services.invitation_create(
        actor=clinician,
        email="new.patient@test.example",
        full_name="New Patient",
        role=Role.PATIENT,
    )
    built = World(
        personas={
            "anon": None,
            "patient": patient,
            "other_patient": other_patient,
            "supervisor": supervisor,
            "stray_supervisor": stray_supervisor,
            "clinician": clinician,
            "other_clinician": other_clinician,
            "staff": staff,
        },
        url_kwargs={
            "patient_id": patient.pk,
            "consent_id": consent.pk,
            "token": services.invitation_token(invitation),
        },
        objects={"consent": consent, "invitation": invitation},
    )
    # Each app adds its own objects and URL parameters (tests/<app>/world.py: build(world)).
    for module in WORLD_BUILDERS:
        import_module(module).build(built)
    return built
