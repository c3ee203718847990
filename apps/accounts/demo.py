"""Demo people: a clinician (two-factor set up), staff, two patients and their supervisors."""

from __future__ import annotations

from urllib.parse import urlparse

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.sites.models import Site

from apps.accounts import services
from apps.accounts.models import SupervisorConsent, User
from apps.accounts.roles import Role
from apps.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, Demo

PEOPLE = [
    ("clinician@example.org", "Dr Amara Okafor", Role.CLINICIAN),
    ("staff@example.org", "Priya Shah", Role.STAFF),
    ("patient@example.org", "Sam Taylor", Role.PATIENT),
    ("patient2@example.org", "Jordan Reid", Role.PATIENT),
    ("supervisor@example.org", "Alex Taylor", Role.SUPERVISOR),
    ("supervisor2@example.org", "Morgan Reid", Role.SUPERVISOR),
]
LINKS = [
    ("patient@example.org", "supervisor@example.org", "brother"),
    ("patient2@example.org", "supervisor2@example.org", "partner"),
]


def _person(demo: Demo, email: str, name: str, role: Role) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        clinician = demo.people.get("clinician@example.org")
        user = services.user_create_direct(
            email=email, full_name=name, role=role, password=DEMO_PASSWORD, clinician=clinician
        )
        demo.say(f"Created {role.label.lower()} {email}")
    if (
        role in (Role.CLINICIAN, Role.STAFF)
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)
    demo.people[email] = user
    return user


def _link(demo: Demo, patient_email: str, supervisor_email: str, relationship: str) -> None:
    patient = demo.people[patient_email]
    supervisor = demo.people[supervisor_email]
    if SupervisorConsent.objects.filter(patient=patient, supervisor=supervisor).exists():
        return
    consent = services.consent_grant(
        actor=patient,
        supervisor_name=supervisor.full_name,
        supervisor_email=supervisor.email,
        relationship=relationship,
        expires_at=None,
        signed=True,
    )
    invitation = consent.invitation
    services.invitation_accept_existing(actor=supervisor, invitation=invitation)
    consent.refresh_from_db()
    services.consent_confirm(actor=demo.people["clinician@example.org"], consent=consent)
    demo.say(f"Linked {supervisor_email} to {patient_email}")


def seed(demo: Demo) -> None:
    host = urlparse(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": host, "name": "Clinic portal"}
    )
    for email, name, role in PEOPLE:
        _person(demo, email, name, role)
    for link in LINKS:
        _link(demo, *link)
