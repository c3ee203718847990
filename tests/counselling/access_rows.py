"""Access-matrix rows for the counselling routes. The world's booking and offer belong to
`patient` (with `clinician`): anyone else's is not found. Supervisors and staff never reach a
patient's appointments; staff manage any clinician's availability."""

from __future__ import annotations

from tests.matrix import CLINICIANS, EVERYONE, PATIENTS, SIGNED_IN, row

PATIENT_POST_ONLY = row(403, patient=405, other_patient=405)
THEIR_BOOKING = row(403, patient=200, other_patient=404, clinician=200, other_clinician=404)
BOOKING_POST_ONLY = row(403, patient=405, other_patient=405, clinician=405, other_clinician=405)
CLINICIAN_POST_ONLY = row(403, clinician=405, other_clinician=405)
AVAILABILITY_POST_ONLY = row(403, clinician=405, other_clinician=405, staff=405)

EXPECTED: dict[str, dict[str, int]] = {
    "counselling:session-list": PATIENTS,
    "counselling:slot-list": PATIENTS,
    "counselling:booking-create": PATIENT_POST_ONLY,
    "counselling:booking-detail": THEIR_BOOKING,
    "counselling:booking-cancel": BOOKING_POST_ONLY,
    "counselling:booking-reschedule": BOOKING_POST_ONLY,
    "counselling:invitee-add": PATIENT_POST_ONLY,
    "counselling:waitlist-join": PATIENT_POST_ONLY,
    "counselling:waitlist-leave": PATIENT_POST_ONLY,
    "counselling:offer-accept": PATIENT_POST_ONLY,
    "counselling:feed-settings": SIGNED_IN,
    "counselling:feed-reset": row(405),
    # The private calendar feed is opened by its secret address alone (calendar programs cannot
    # sign in), so everyone holding the world's secret gets it; a wrong or reset secret is 404
    # (tests/counselling/test_feed.py).
    "counselling:feed": EVERYONE,
    "counselling:clinician-sessions": CLINICIANS,
    "counselling:attendance-mark": CLINICIAN_POST_ONLY,
    "counselling:note-add": CLINICIAN_POST_ONLY,
    # Clinicians are sent to their own page; staff choose a clinician.
    "counselling:availability-index": row(403, clinician=302, other_clinician=302, staff=200),
    # The world's clinician: their own page, or staff; another clinician's is not found.
    "counselling:availability": row(403, clinician=200, other_clinician=404, staff=200),
    "counselling:availability-rule-add": AVAILABILITY_POST_ONLY,
    "counselling:exception-add": AVAILABILITY_POST_ONLY,
    "counselling:availability-rule-delete": AVAILABILITY_POST_ONLY,
    "counselling:exception-delete": AVAILABILITY_POST_ONLY,
    "counselling:patient-plan": row(403, clinician=200, other_clinician=404),
    "counselling:patient-book": CLINICIAN_POST_ONLY,
}

POST_EXPECTED: dict[str, dict[str, int]] = {
    # Empty forms: a message and a redirect, nothing changes.
    "counselling:booking-create": row(403, patient=302, other_patient=302),
    "counselling:booking-cancel": row(
        403, patient=302, other_patient=404, clinician=302, other_clinician=404
    ),
    "counselling:booking-reschedule": row(
        403, patient=302, other_patient=404, clinician=302, other_clinician=404
    ),
    # The form re-renders with its errors.
    "counselling:invitee-add": row(403, patient=200, other_patient=404),
    "counselling:waitlist-join": row(403, patient=302, other_patient=302),
    "counselling:waitlist-leave": row(403, patient=302, other_patient=302),
    "counselling:offer-accept": row(403, patient=302, other_patient=404),
    "counselling:feed-reset": row(200),
    "counselling:attendance-mark": row(403, clinician=302, other_clinician=404),
    "counselling:note-add": row(403, clinician=302, other_clinician=404),
    "counselling:availability-rule-add": row(403, clinician=200, other_clinician=404, staff=200),
    "counselling:exception-add": row(403, clinician=200, other_clinician=404, staff=200),
    "counselling:availability-rule-delete": row(403, clinician=302, other_clinician=404, staff=302),
    "counselling:exception-delete": row(403, clinician=302, other_clinician=404, staff=302),
    # All plan fields are optional: an empty form saves the clinic's defaults.
    "counselling:patient-plan": row(403, clinician=302, other_clinician=404),
    "counselling:patient-book": row(403, clinician=302, other_clinician=404),
}
