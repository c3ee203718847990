"""Shared vocabulary for access-matrix rows (see tests/test_access_matrix.py)."""

from __future__ import annotations

PERSONAS = (
    "anon",
    "patient",
    "other_patient",
    "supervisor",
    "stray_supervisor",
    "clinician",
    "other_clinician",
    "staff",
)


def row(default: int, anon: int = 302, **overrides: int) -> dict[str, int]:
    statuses = dict.fromkeys(PERSONAS, default)
    statuses["anon"] = anon
    statuses.update(overrides)
    return statuses


EVERYONE = row(200, anon=200)
SIGNED_IN = row(200)
PATIENTS = row(403, patient=200, other_patient=200)
SUPERVISORS = row(403, supervisor=200, stray_supervisor=200)
CLINICIANS = row(403, clinician=200, other_clinician=200)
STAFF = row(403, staff=200)
