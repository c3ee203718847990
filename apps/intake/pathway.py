"""The pathway state machine (DOMAIN.md section 1), held in one table.

Each allowed move names who may make it (the patient, or the patient's responsible clinician)
and whether a reason is required (refusal, pause, stop). `transition` is the only code that
changes `Pathway.state`; it is called by the services of this app (and, for treatment states,
by the dosing part of the portal). Anything not in the table is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.services import audit_record
from apps.core.exceptions import ServiceError
from apps.intake.models import Pathway, PathwayState, PathwayTransition

S = PathwayState
PATIENT = "patient"
CLINICIAN = "clinician"
# Anyone who may record the patient's doses (the patient, a supervisor with consent in force, the
# responsible clinician): the move follows from a dose record, which its own service checked.
CARE_TEAM = "care_team"


@dataclass(frozen=True)
class Move:
    by: str
    reason_required: bool = False


TRANSITIONS: dict[tuple[str, str], Move] = {
    # Intake (this app)
    (S.INVITED, S.INTAKE): Move(PATIENT),
    (S.INTAKE, S.REVIEW): Move(PATIENT),
    (S.REVIEW, S.INTAKE): Move(CLINICIAN, reason_required=True),  # sent back for changes
    (S.REVIEW, S.ELIGIBLE): Move(CLINICIAN),
    (S.REVIEW, S.NOT_ELIGIBLE): Move(CLINICIAN, reason_required=True),
    (S.NOT_ELIGIBLE, S.REVIEW): Move(CLINICIAN, reason_required=True),  # reconsidered
    (S.ELIGIBLE, S.REVIEW): Move(CLINICIAN, reason_required=True),  # decision withdrawn
    # Treatment (made by the dosing part of the portal)
    (S.ELIGIBLE, S.INDUCTION): Move(CLINICIAN),
    (S.INDUCTION, S.MAINTENANCE): Move(CARE_TEAM),  # the first full dose after 25 mg
    (S.MAINTENANCE, S.INDUCTION): Move(CLINICIAN, reason_required=True),  # restart at 25 mg
    (S.ELIGIBLE, S.STOPPED): Move(CLINICIAN, reason_required=True),  # stopped before dose one
    (S.INDUCTION, S.PAUSED): Move(CLINICIAN, reason_required=True),
    (S.MAINTENANCE, S.PAUSED): Move(CLINICIAN, reason_required=True),
    (S.PAUSED, S.INDUCTION): Move(CLINICIAN, reason_required=True),  # re-induction
    (S.PAUSED, S.MAINTENANCE): Move(CLINICIAN),
    (S.INDUCTION, S.STOPPED): Move(CLINICIAN, reason_required=True),
    (S.MAINTENANCE, S.STOPPED): Move(CLINICIAN, reason_required=True),
    (S.PAUSED, S.STOPPED): Move(CLINICIAN, reason_required=True),
    (S.MAINTENANCE, S.DISCHARGED): Move(CLINICIAN, reason_required=True),
    (S.STOPPED, S.DISCHARGED): Move(CLINICIAN, reason_required=True),
}


def allowed_moves(state: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == state]


def pathway_lock(patient: User) -> Pathway:
    """The patient's pathway row, locked for update (created at "invited" the first time)."""
    pathway, _ = Pathway.objects.select_for_update().get_or_create(
        patient=patient, defaults={"state": S.INVITED, "state_changed_at": timezone.now()}
    )
    return pathway


@transaction.atomic
def transition(*, actor: User, patient: User, to: str, reason: str = "") -> Pathway:
    """Move the patient's pathway to `to`, if the table allows it and `actor` may make that move.
    Audited (the reason is kept on the transition row, not in the audit detail)."""
    pathway = pathway_lock(patient)
    frm = pathway.state
    move = TRANSITIONS.get((frm, to))
    if move is None:
        raise ServiceError(
            f"The pathway cannot move from {S(frm).label.lower()} to {S(to).label.lower()}."
        )
    if move.by == PATIENT:
        access.ensure(actor.pk == patient.pk and actor.role == Role.PATIENT)
    elif move.by == CARE_TEAM:
        access.ensure(access.can_view_patient(actor, patient.pk))
    else:
        access.ensure(access.can_manage_patient(actor, patient.pk))
    if move.reason_required and not reason.strip():
        raise ServiceError("Give a reason for this change.", field="reason")
    now = timezone.now()
    pathway.state = to
    pathway.state_changed_at = now
    pathway.save(update_fields=["state", "state_changed_at", "updated_at"])
    PathwayTransition.objects.create(
        patient=patient, from_state=frm, to_state=to, actor=actor, reason=reason.strip(), at=now
    )
    audit_record(
        actor=actor,
        action="intake.pathway_changed",
        target=pathway,
        patient=patient,
        detail={"from": frm, "to": to},
    )
    return pathway
