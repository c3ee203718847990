"""Reading the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from apps.audit.models import AuditEvent

if TYPE_CHECKING:
    from apps.accounts.models import User


def disclosure_list_for(*, user: User, limit: int = 200) -> QuerySet[AuditEvent]:
    """The patient's accounting of disclosures: every event about them by someone else."""
    return (
        AuditEvent.objects.filter(patient_id=user.pk)
        .exclude(actor_id=user.pk)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
