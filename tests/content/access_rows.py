"""Access-matrix rows for the help pages, safety messages and alert cards."""

from __future__ import annotations

from tests.matrix import EVERYONE, PATIENTS, SIGNED_IN, STAFF, row

# The world's patient is `patient`, cared for by `clinician`. An alert card is for the patient
# and their responsible clinician only: supervisors and staff are the wrong role (403); another
# patient or another clinician does not see that the card exists (404).
CARD = row(
    403,
    patient=200,
    other_patient=404,
    clinician=200,
    other_clinician=404,
)

EXPECTED: dict[str, dict[str, int]] = {
    # Public
    "content:faq-public": EVERYONE,
    "content:faq-supervisors-public": EVERYONE,
    # Everyone signed in
    "content:faq-portal": SIGNED_IN,
    # Patient
    "content:safety-acknowledge": PATIENTS,
    "content:alert-card-mine": row(403, patient=302, other_patient=302),
    # Patient (own) and responsible clinician
    "content:alert-card": CARD,
    "content:alert-card-pdf": CARD,
    # Staff
    "content:faq-review-list": STAFF,
}

POST_EXPECTED: dict[str, dict[str, int]] = {
    # An empty POST shows the form again with the error next to the box.
    "content:safety-acknowledge": PATIENTS,
}
