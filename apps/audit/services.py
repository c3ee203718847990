"""Writing the audit log. Every service that changes data calls `audit_record`; every read of a
patient's record by someone other than the patient calls `audit_read`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

from apps.audit import context
from apps.audit.models import AuditEvent
from apps.core.bulk import insert_rows

if TYPE_CHECKING:
    from apps.accounts.models import User

DetailValue = str | int | bool | None

# Detail values are codes and ids, never free text: a short limit keeps notes out by construction.
MAX_DETAIL_TEXT = 64

# The log says who, what kind of action (the action code), which record (target and patient),
# when and from where. Detail may add only these facts about the action itself, never a clinical
# fact (a result, a score, an eligibility outcome, a risk rule, a plan): those live in the record
# the target points at, behind the record's own access rules.
ALLOWED_DETAIL_KEYS = frozenset(
    {
        "what",  # which page or part of the record was read
        "model",  # which admin list was opened
        "event",  # which audit row was opened
        "version",  # safety-message version (public text)
        "format",  # alert card format
        "channels",  # notification channels
        "channel",
        "held",  # held by quiet hours
        "attempts",
        "count",
        "fields",  # names of changed settings or profile fields, never their values
        "role",  # role of an invited account
        "is_lead",  # clinical-lead flag given or taken away (an account fact)
        "from_clinician",  # care-team change: account ids
        "to_clinician",
        "failures",  # sign-in failures before an unlock
        "step",  # questionnaire step saved (not its answers)
        "purpose",  # why an eligibility check ran (review, decision, override)
        "assessment",  # id of the eligibility check a decision rests on
        "reauthenticated",
        "cause",
        "status",  # help-entry review status (public content, not a patient's)
        "on_behalf",  # counselling booking made by staff for the patient
        "override",  # booking cut-off overridden
        "late",  # cancelled after the cut-off
        "kind",  # clinician's schedule exception: leave or extra hours
        "doses",  # how many scheduled doses a plan change made (a count)
        "change",  # what kind of plan change (new version, stop)
        "dropped",  # counts of scheduled doses dropped and made by a change
        "made",
        "first_dose",  # whether this was the plan's first dose
        "dose",  # id of the scheduled dose an outcome belongs to
        "supersedes",  # id of the outcome a correction replaces
    }
)


def _patient_of(target: models.Model | None) -> int | None:
    if target is None:
        return None
    patient_id = getattr(target, "patient_id", None)
    if isinstance(patient_id, int):
        return patient_id
    if target._meta.label == "accounts.User" and getattr(target, "role", None) == "patient":
        return int(target.pk)
    return None


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    patient: User | int | None = None,
    detail: dict[str, DetailValue] | None = None,
) -> AuditEvent:
    """Append one audit event. `action` is "<app>.<past_tense>"; detail holds codes, not text."""
    detail = detail or {}
    for key, value in detail.items():
        if key not in ALLOWED_DETAIL_KEYS:
            raise ValueError(f"Audit detail {key!r} is not one of the allowed facts.")
        if isinstance(value, str) and len(value) > MAX_DETAIL_TEXT:
            raise ValueError(f"Audit detail {key!r} is too long to be a code.")
        if not isinstance(value, str | int | bool | type(None)):
            raise ValueError(f"Audit detail {key!r} must be a code, a number or a flag.")
    if isinstance(patient, int):
        patient_id: int | None = patient
    elif patient is not None:
        patient_id = int(patient.pk)
    else:
        patient_id = _patient_of(target)
    ctx = context.current()
    return AuditEvent.objects.create(
        actor=actor,
        actor_role=getattr(actor, "role", "") if actor else "system",
        action=action,
        patient_id=patient_id,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
        detail=detail,
    )


def audit_read(*, actor: User, patient_id: int, what: str) -> AuditEvent | None:
    """Record that someone other than the patient looked at the patient's record."""
    if actor.pk == patient_id:
        return None
    return audit_record(
        actor=actor, action="audit.record_viewed", patient=patient_id, detail={"what": what}
    )


def audit_read_list(*, actor: User, patient_ids: Iterable[int], what: str) -> int:
    """Record that someone looked at a list showing these patients: one row per patient shown
    (so each sees it on their "who has seen my record" page), written in one query."""
    ids = sorted({pid for pid in patient_ids if pid != actor.pk})
    if not ids:
        return 0
    ctx = context.current()
    now = timezone.now()
    role = getattr(actor, "role", "")
    ip = ctx.ip if ctx else None
    request_id = ctx.request_id if ctx else ""
    detail = {"what": what}
    rows = [
        (now, actor.pk, role, "audit.list_viewed", pid, "", "", ip, request_id, detail)
        for pid in ids
    ]
    # Plain rows in one statement: building a hundred model instances for bulk_create was
    # half the time of a clinician's list page (scripts/profile_pages.py).
    insert_rows(
        AuditEvent,
        (
            "at",
            "actor",
            "actor_role",
            "action",
            "patient",
            "target_type",
            "target_id",
            "ip",
            "request_id",
            "detail",
        ),
        rows,
    )
    return len(rows)
