"""Changing the clinic's settings. Staff keep the clinic's name, contact numbers and colours;
clinicians with the clinical-lead flag change the clinical thresholds, with a reason. Each change
is audited (field names only; the values and the reason are kept in `ThresholdChange`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.clinic.models import THRESHOLD_FIELDS, ClinicSettings, ThresholdChange
from apps.core.exceptions import ServiceError

_NOT_SETTINGS = {"id", "singleton", "created_at", "updated_at"}


def _apply(row: ClinicSettings, changes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in changes.items():
        if name in _NOT_SETTINGS:
            continue
        old = getattr(row, name)
        if old != value:
            setattr(row, name, value)
            changed[name] = (old, value)
    return changed


@transaction.atomic
def clinic_settings_update(*, actor: User, **changes: Any) -> ClinicSettings:
    """Staff change the clinic's name, contact numbers, crisis text and colours; the audit row
    names the fields changed (not the values). Clinical thresholds are refused here."""
    access.ensure(actor.role == access.Role.STAFF)
    clinical = sorted(set(changes) & set(THRESHOLD_FIELDS))
    if clinical:
        raise ServiceError("Clinical thresholds are changed by a clinical lead, not here.")
    row, _ = ClinicSettings.objects.select_for_update().get_or_create(singleton=True)
    changed = _apply(row, changes)
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


@transaction.atomic
def clinic_thresholds_update(*, actor: User, reason: str, **changes: Any) -> ThresholdChange | None:
    """A clinical lead changes clinical thresholds with a written reason. The old and new values
    and the reason are kept in `ThresholdChange`; the audit event names the fields. Returns
    None when nothing changed."""
    access.ensure(access.can_change_thresholds(actor))
    unknown = set(changes) - set(THRESHOLD_FIELDS)
    if unknown:
        raise ServiceError("Only clinical thresholds can be changed here.")
    if len(reason.strip()) < 10:
        raise ServiceError("Write a reason of at least 10 characters.", field="reason")
    row, _ = ClinicSettings.objects.select_for_update().get_or_create(singleton=True)
    changed = _apply(row, changes)
    if not changed:
        return None
    try:
        row.full_clean()
    except ValidationError as exc:
        first = next(iter(exc.message_dict.items()))
        field = first[0] if first[0] in THRESHOLD_FIELDS else None
        raise ServiceError(str(first[1][0]), field=field) from exc
    row.save()
    record = ThresholdChange.objects.create(
        changed_by=actor,
        changed_at=timezone.now(),
        reason=reason.strip(),
        changes={name: [str(old), str(new)] for name, (old, new) in changed.items()},
    )
    audit_record(
        actor=actor,
        action="clinic.thresholds_changed",
        target=record,
        detail={"fields": ",".join(sorted(changed))[:64]},
    )
    return record
