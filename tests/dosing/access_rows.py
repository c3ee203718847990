"""Access-matrix rows for the dosing routes. The supervisor's dose page is served at
accounts:supervised-patient-detail (row in tests/accounts/access_rows.py)."""

from __future__ import annotations

from tests.matrix import PATIENTS, row

THEIR_CLINICIAN = row(403, clinician=200, other_clinician=404)
# Changing a plan asks for the password again first (302 to re-authenticate).
THEIR_CLINICIAN_REAUTH = row(403, clinician=302, other_clinician=404)
# The patient's own dose, their supervisor (consent in force) and their clinician; everyone
# else's dose is 404; staff are not on the care team.
CARE_TEAM = row(404, patient=200, supervisor=200, clinician=200, staff=403)

EXPECTED: dict[str, dict[str, int]] = {
    "dosing:my-doses": PATIENTS,
    "dosing:naloxone-kit": PATIENTS,
    "dosing:dose-record": CARE_TEAM,
    "dosing:plan-create": THEIR_CLINICIAN_REAUTH,
    "dosing:plan-detail": THEIR_CLINICIAN,
    "dosing:plan-change": THEIR_CLINICIAN_REAUTH,
    "dosing:timeline": THEIR_CLINICIAN,
    "dosing:outcome-correct": THEIR_CLINICIAN,
}

POST_EXPECTED: dict[str, dict[str, int]] = {
    # Empty forms re-render with their errors (200); nothing is saved.
    "dosing:naloxone-kit": row(403, patient=200, other_patient=200),
    "dosing:dose-record": CARE_TEAM,
    "dosing:plan-create": THEIR_CLINICIAN_REAUTH,
    "dosing:plan-change": THEIR_CLINICIAN_REAUTH,
    "dosing:outcome-correct": THEIR_CLINICIAN,
}
