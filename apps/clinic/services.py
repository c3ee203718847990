"""Changing the clinic's settings. Staff only; each changed field is named in the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.accounts import access
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.clinic.models import ClinicSettings


@transaction.atomic
def clinic_settings_update(*, actor: User, **changes: Any) -> ClinicSettings:
    """Staff change clinic settings; the audit row names the fields changed (not the values)."""
    access.ensure(actor.role == access.Role.STAFF)
    row, _ = ClinicSettings.objects.select_for_update().get_or_create(singleton=True)
    changed = []
    for field, value in changes.items():
        if field in {"id", "singleton", "created_at", "updated_at"}:
            continue
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed.append(field)
    if changed:
        row.full_clean()
        row.save()
        audit_record(
            actor=actor,
            action="clinic.settings_changed",
            target=row,
            detail={"fields": ",".join(sorted(changed))[:64]},
        )
    return row
