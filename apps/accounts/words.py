"""Consents in the words of whoever is reading: "your clinician" means the patient's clinician
only to the patient; to a supervisor it is "Pat's clinician", and "your dose schedule" is Pat's."""

from __future__ import annotations

from apps.accounts.models import SupervisorConsent, User
from apps.accounts.roles import Role

Status = SupervisorConsent.Status


def consent_scope_words(consent: SupervisorConsent, viewer: User) -> str:
    """What the supervisor can see, said to the reader."""
    if viewer.pk == consent.patient_id:
        return str(consent.get_scope_display())
    return f"{consent.patient.full_name}'s dose schedule and whether each dose was taken"


def consent_status_words(consent: SupervisorConsent, viewer: User) -> str:
    """Where the arrangement stands, said to the reader (one short phrase)."""
    if viewer.role == Role.SUPERVISOR:
        name = consent.patient.display_name
        return {
            Status.INVITED: "Waiting for you to say yes",
            Status.ACCEPTED: f"You have said yes. Waiting for {name}'s clinician to confirm",
            Status.ACTIVE: "In place",
            Status.DECLINED: "You said no",
            Status.REVOKED: "Ended",
        }.get(Status(consent.status), str(consent.get_status_display()))
    if viewer.role == Role.CLINICIAN:
        return {
            Status.ACCEPTED: "The supervisor has said yes: waiting for you to confirm",
        }.get(Status(consent.status), str(consent.get_status_display()))
    return str(consent.get_status_display())


def supervisor_next_step(consent: SupervisorConsent) -> str:
    """What happens next for a supervisor whose request is still on its way."""
    name = consent.patient.display_name
    if consent.status == Status.INVITED:
        return 'Open the invitation e-mail and choose "I agree to be a supervisor", or say no here.'
    return (
        f"{name}'s clinician checks the arrangement and confirms it. You do not need to do "
        f'anything until then. Once it is confirmed, {name} appears under "People you support" '
        f"on your home page, with their dose times, and you can record each dose you see them take."
    )
