"""Access-matrix rows for the intake and worklist routes. Supervisors never reach any of them:
screening answers and test results are not part of what a supervisor consent covers."""

from __future__ import annotations

from tests.matrix import CLINICIANS, PATIENTS, row

# The patient's own questionnaire: each patient sees only their own (no object in the URL).
# Clinician pages about `patient`: their clinician 200, another clinician 404.
THEIR_CLINICIAN = row(403, clinician=200, other_clinician=404)

EXPECTED: dict[str, dict[str, int]] = {
    "intake:task-list": PATIENTS,
    "intake:step": PATIENTS,
    "intake:submit": row(403, patient=405, other_patient=405),
    "intake:help-now": PATIENTS,
    "intake:queue": CLINICIANS,
    "intake:review": THEIR_CLINICIAN,
    "intake:record": THEIR_CLINICIAN,
    "intake:decide": THEIR_CLINICIAN,
    # The override page asks for the password again first (302 to re-authenticate).
    "intake:override": row(403, clinician=302, other_clinician=404),
    "worklist:task-list": CLINICIANS,
    # Closing a task is a page (outcome, note, then a confirmation for urgent tasks).
    "worklist:task-resolve": THEIR_CLINICIAN,
}

POST_EXPECTED: dict[str, dict[str, int]] = {
    # An incomplete questionnaire is refused with a message and a redirect; nothing changes.
    "intake:submit": row(403, patient=302, other_patient=302),
    # Empty forms re-render with their errors (200); another clinician's patient is 404.
    "intake:step": row(403, patient=200, other_patient=200),
    "intake:record": row(403, clinician=200, other_clinician=404),
    "intake:decide": row(403, clinician=200, other_clinician=404),
    "intake:override": row(403, clinician=302, other_clinician=404),
    # An empty form re-renders with its errors; the task stays open.
    "worklist:task-resolve": row(403, clinician=200, other_clinician=404),
}
