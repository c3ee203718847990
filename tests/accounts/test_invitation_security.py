"""Invitations: no account enumeration, rate limits on sending, asking and opening links, and
tokens kept out of every log."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import pytest
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import Invitation, SupervisorConsent
from apps.accounts.roles import Role
from apps.core.exceptions import ServiceError
from portal.gunicorn_logging import RedactingLogger
from portal.redaction import RedactInvitationTokens

FORM = {"supervisor_name": "Sam Helper", "relationship": "friend", "expires_on": "", "sign": "1"}


def ask(client, email: str):
    return client.post(
        reverse("accounts:consent-grant"), {**FORM, "supervisor_email": email, "signed": "on"}
    )


def test_asking_an_address_with_another_kind_of_account_answers_as_for_any_address(
    client, patient, other_patient, clinician
):
    client.force_login(patient)
    fresh = ask(client, "nobody.yet@test.example")
    fresh_page = client.get(fresh["Location"]).content.decode()
    for taken in (other_patient.email, clinician.email):
        response = ask(client, taken)
        assert (response.status_code, response["Location"]) == (
            fresh.status_code,
            fresh["Location"],
        )
        page = client.get(response["Location"]).content.decode()
        assert "We cannot invite" not in page
        assert "Consent signed. We have e-mailed Sam Helper an invitation." in page
        assert "Consent signed. We have e-mailed Sam Helper an invitation." in fresh_page
    assert SupervisorConsent.objects.filter(patient=patient).count() == 3
    # Every address gets its invitation, whoever holds it.
    for email in ("nobody.yet@test.example", other_patient.email, clinician.email):
        assert Invitation.objects.filter(email=email, role=Role.SUPERVISOR).exists()


def test_the_address_owner_learns_of_the_clash_when_opening_the_link(client, patient, clinician):
    consent = services.consent_grant(
        actor=patient,
        supervisor_name="Doc",
        supervisor_email=clinician.email,
        relationship="friend",
        expires_at=None,
        signed=True,
    )
    client.force_login(clinician)
    url = reverse(
        "accounts:invitation-accept", args=[services.invitation_token(consent.invitation)]
    )
    page = client.get(url).content.decode()
    assert "cannot be used for supporting someone" in page
    assert patient.full_name not in page


def test_invitations_sent_are_rate_limited(clinician, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "invitation_send": (3, 3600)}
    for n in range(3):
        services.invitation_create(
            actor=clinician, email=f"p{n}@test.example", full_name="P", role=Role.PATIENT
        )
    with pytest.raises(ServiceError, match="short time"):
        services.invitation_create(
            actor=clinician, email="p9@test.example", full_name="P", role=Role.PATIENT
        )


def test_supervisor_requests_are_rate_limited(client, patient, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "consent_request": (2, 3600)}
    client.force_login(patient)
    for n in range(2):
        assert ask(client, f"helper{n}@test.example").status_code == 302
    response = ask(client, "helper9@test.example")
    assert response.status_code == 200
    assert "short time" in response.content.decode()
    assert SupervisorConsent.objects.filter(patient=patient).count() == 2


def test_opening_invitation_links_is_rate_limited_per_address(client, db, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "invitation_open": (5, 600)}
    for n in range(5):
        url = reverse("accounts:invitation-accept", args=[f"guess-{n}"])
        assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 404
    url = reverse("accounts:invitation-accept", args=["guess-9"])
    assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 429
    assert client.get(url, REMOTE_ADDR="198.51.100.8").status_code == 404  # someone else


TOKEN = "Mg:1tNxyz:abcdefSECRETtoken"


def test_gunicorns_access_log_never_shows_an_invitation_token():
    logger = RedactingLogger(SimpleNamespace(**_gunicorn_cfg()))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/invite/{TOKEN}/?x=1",
        "PATH_INFO": f"/invite/{TOKEN}/",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://portal.example.org/invite/{TOKEN}/",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[("REFERER", f"/invite/{TOKEN}/")])
    atoms = logger.atoms(resp, req, environ, _elapsed())
    assert TOKEN not in repr(atoms)
    assert atoms["r"] == "GET /invite/[redacted]/?x=1 HTTP/1.1"


def test_djangos_request_log_never_shows_an_invitation_token(client, db):
    stream = io.StringIO()
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactInvitationTokens) for f in h.filters)
    )
    old = handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        client.get(reverse("accounts:invitation-accept", args=[TOKEN]))
    finally:
        handler.setStream(old)  # type: ignore[attr-defined]
    logged = stream.getvalue()
    assert "/invite/[redacted]/" in logged
    assert TOKEN not in logged


def _gunicorn_cfg() -> dict[str, object]:
    from gunicorn.config import Config

    cfg = Config()
    return {name: setting.get() for name, setting in cfg.settings.items()}


def _elapsed():
    from datetime import timedelta

    return timedelta(milliseconds=5)
