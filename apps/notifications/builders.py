"""Context builders named in kinds.py: they load what a message needs from its ids at send time."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from apps.accounts import services as account_services
from apps.accounts.models import Invitation
from apps.notifications.models import Notification


def invitation_context(notification: Notification) -> dict[str, Any] | None:
    """The invitation link is recomputed here from the row, so no token travels in a task or
    sits in the outbox. A withdrawn or used invitation needs no e-mail."""
    invitation = (
        Invitation.objects.select_related("consent__patient")
        .filter(pk=notification.context_ids.get("invitation"), status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return None
    return {
        "invitation": invitation,
        "link": account_services.invitation_url(invitation),
        "recipient_name": invitation.full_name,
        "patient_first_name": (
            invitation.consent.patient.display_name if invitation.consent else ""
        ),
        "expiry_days": settings.INVITATION_EXPIRY_DAYS,
    }
