"""Writes of education content."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from apps.accounts import access
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.content.models import SafetyAcknowledgement, SafetyMessageVersion
from apps.core.exceptions import ServiceError


@transaction.atomic
def safety_acknowledge(*, actor: User, version: SafetyMessageVersion) -> SafetyAcknowledgement:
    """A patient acknowledges a published version of the safety messages, once."""
    access.ensure(actor.role == access.Role.PATIENT)
    if not version.is_published:
        raise ServiceError("These safety messages are not published.")
    try:
        with transaction.atomic():
            ack = SafetyAcknowledgement.objects.create(patient=actor, version=version)
    except IntegrityError:
        return SafetyAcknowledgement.objects.get(patient=actor, version=version)
    audit_record(
        actor=actor,
        action="content.safety_acknowledged",
        target=ack,
        patient=actor,
        detail={"version": version.version},
    )
    return ack
