"""Access-matrix rows for the escalation routes. A concern is raised only by a supervisor whose
consent is in force (another supervisor: 404); urgent dosing tasks close only for the patient's
clinician (another clinician: 404)."""

from __future__ import annotations

from tests.matrix import CLINICIANS, PATIENTS, row

THEIR_SUPERVISOR = row(403, supervisor=200, stray_supervisor=404)
THEIR_CLINICIAN = row(403, clinician=200, other_clinician=404)

EXPECTED: dict[str, dict[str, int]] = {
    "escalation:concern-create": THEIR_SUPERVISOR,
    "escalation:task-close": THEIR_CLINICIAN,
    # Each clinician sees only the patients they are responsible for.
    "escalation:caseload": CLINICIANS,
    # Each patient answers only their own mood questions (no object in the URL).
    "escalation:mood-check": PATIENTS,
    "escalation:override-edit": THEIR_CLINICIAN,
}

POST_EXPECTED: dict[str, dict[str, int]] = {
    # Empty forms re-render with their errors (200); nothing is raised or closed.
    "escalation:concern-create": THEIR_SUPERVISOR,
    "escalation:task-close": THEIR_CLINICIAN,
    "escalation:caseload": row(403, clinician=405, other_clinician=405),
    # Nothing due for the world's patients: the page says so (200), nothing is saved.
    "escalation:mood-check": PATIENTS,
    # An empty form re-renders with its errors; another clinician's patient is 404.
    "escalation:override-edit": THEIR_CLINICIAN,
}
