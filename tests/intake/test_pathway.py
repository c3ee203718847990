"""The pathway state machine: allowed moves succeed and are audited, others are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError
from apps.intake.models import Pathway, PathwayState, PathwayTransition
from apps.intake.pathway import TRANSITIONS, transition

S = PathwayState


def put_in(patient, state):
    Pathway.objects.update_or_create(
        patient=patient, defaults={"state": state, "state_changed_at": "2026-01-01T00:00Z"}
    )


def test_every_allowed_move_succeeds_for_the_right_person_and_is_audited(patient, clinician):
    for (frm, to), move in TRANSITIONS.items():
        put_in(patient, frm)
        actor = patient if move.by == "patient" else clinician
        reason = "because" if move.reason_required else ""
        transition(actor=actor, patient=patient, to=to, reason=reason)
        assert Pathway.objects.get(patient=patient).state == to
        row = PathwayTransition.objects.filter(patient=patient).latest("pk")
        assert (row.from_state, row.to_state, row.actor_id) == (frm, to, actor.pk)
        event = AuditEvent.objects.filter(action="intake.pathway_changed").latest("pk")
        assert event.detail == {"from": frm, "to": to}
        assert event.patient_id == patient.pk
    assert PathwayTransition.objects.count() == len(TRANSITIONS)


REFUSED = [(f, t) for f in S.values for t in S.values if (f, t) not in TRANSITIONS and f != t]


def test_moves_not_in_the_table_are_refused(patient, clinician):
    assert len(REFUSED) == 70
    for frm, to in REFUSED:
        put_in(patient, frm)
        with pytest.raises(ServiceError):
            transition(actor=clinician, patient=patient, to=to, reason="r")
        assert Pathway.objects.get(patient=patient).state == frm, (frm, to)
    assert not PathwayTransition.objects.exists()


def test_invited_straight_to_eligible_is_refused(patient, clinician):
    with pytest.raises(ServiceError):
        transition(actor=clinician, patient=patient, to=S.ELIGIBLE)


def test_refusal_pause_and_stop_need_a_reason(patient, clinician):
    put_in(patient, S.REVIEW)
    with pytest.raises(ServiceError):
        transition(actor=clinician, patient=patient, to=S.NOT_ELIGIBLE, reason="  ")
    put_in(patient, S.MAINTENANCE)
    for to in (S.PAUSED, S.STOPPED):
        with pytest.raises(ServiceError):
            transition(actor=clinician, patient=patient, to=to)


def test_a_patient_cannot_make_a_clinician_move(patient):
    put_in(patient, S.REVIEW)
    with pytest.raises(PermissionDenied):
        transition(actor=patient, patient=patient, to=S.ELIGIBLE)


def test_another_clinician_cannot_move_the_pathway(patient, other_clinician):
    put_in(patient, S.REVIEW)
    with pytest.raises(PermissionDenied):
        transition(actor=other_clinician, patient=patient, to=S.ELIGIBLE)


def test_a_clinician_cannot_make_the_patient_move(patient, clinician):
    with pytest.raises(PermissionDenied):
        transition(actor=clinician, patient=patient, to=S.INTAKE)


def test_one_patient_cannot_move_another(patient, other_patient):
    with pytest.raises(PermissionDenied):
        transition(actor=other_patient, patient=patient, to=S.INTAKE)
