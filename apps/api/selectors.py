"""Reads for the API's patient endpoints: the web's care-link rules (`access.py`), with the
fields each role may receive. Another patient is not found (404)."""

from __future__ import annotations

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.clinic.selectors import clinic_settings_get
from apps.dosing.selectors import protected_until_subquery

# What a supervisor may receive about a patient: the consent covers the name, the dose schedule
# and whether each dose was taken (DOMAIN.md section 4), never the pathway, scores or results.
SUPERVISOR_FIELDS = frozenset({"id", "name", "protected_until"})


def fields_for(user: User) -> frozenset[str] | None:
    """The patient fields this user may receive (None: all of them)."""
    return SUPERVISOR_FIELDS if user.role == Role.SUPERVISOR else None


def patient_list_for(*, user: User) -> QuerySet[User]:
    """Patients the user may see: a clinician's caseload, a supervisor's consented patients, a
    patient themselves. Staff are on no care team (403 before this is asked)."""
    access.ensure(user.role in (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN))
    # The pathway row is written when intake starts; before that the patient is "invited".
    return (
        access.patients_visible_to(user)
        .annotate(
            pathway_state=Coalesce(F("pathway__state"), Value("invited")),
            # The end of the last taken dose's blockade (dosing's rule), in the same query.
            protected_until=protected_until_subquery(clinic_settings_get()),
        )
        .order_by("full_name", "pk")
    )


def patient_get_for(*, user: User, pk: int) -> User:
    """One patient the user may see, or 404."""
    patient = patient_list_for(user=user).filter(pk=pk).first()
    if patient is None:
        raise Http404
    return patient
