"""Access-matrix rows for the API (/api/v1/): the web's rules, in the API's words. Anonymous
callers get 401 (not a redirect); a wrong role 403; another patient's record 404."""

from __future__ import annotations

from tests.matrix import EVERYONE, row

API_SIGNED_IN = row(200, anon=401)
API_PATIENTS = row(403, anon=401, patient=200, other_patient=200)
API_BOOKING = row(403, anon=401, patient=200, other_patient=200, clinician=200, other_clinician=200)

EXPECTED: dict[str, dict[str, int]] = {
    # Public: the interactive documentation (vendored Swagger UI) and the FAQ.
    "api:docs": EVERYONE,
    "api:content-api:faq-list": EVERYONE,
    # Everyone signed in: their own notifications.
    "api:notifications-api:notification-list": API_SIGNED_IN,
    "api:notifications-api:notification-read": row(405, anon=401),
    # The patient's own: disclosures and the export.
    "api:accounts-api:disclosure-list": API_PATIENTS,
    "api:accounts-api:export": API_PATIENTS,
    # Patients: care roles see the list (filtered to their care links); staff are on no care team.
    "api:patients-api:patient-list": row(200, anon=401, staff=403),
    # The world's patient is `patient`: their clinician, their supervisor and themselves.
    "api:patients-api:patient-detail": row(
        404, anon=401, staff=403, patient=200, supervisor=200, clinician=200
    ),
    # FHIR: the patient and their clinician; supervisors are outside the consent (403).
    "api:patients-api:patient-fhir": row(
        403, anon=401, patient=200, other_patient=404, clinician=200, other_clinician=404
    ),
    # Doses: the same visibility as patients (each persona sees their own care links' doses).
    "api:dosing-api:dose-list": row(200, anon=401, staff=403),
    "api:dosing-api:dose-outcome": row(405, anon=401, staff=403),
    # Concerns are raised by supervisors; alerts are a clinician's.
    "api:dosing-api:concern-create": row(403, anon=401, supervisor=405, stray_supervisor=405),
    "api:dosing-api:alert-list": row(403, anon=401, clinician=200, other_clinician=200),
    "api:dosing-api:alert-acknowledge": row(403, anon=401, clinician=405, other_clinician=405),
    # Tasks are a clinician's: each sees their own patients' (tests/worklist/test_api.py checks
    # that the other clinician's list never holds the world's task).
    "api:worklist-api:task-list": row(403, anon=401, clinician=200, other_clinician=200),
    # Counselling: patients and clinicians.
    "api:counselling-api:slot-list": API_BOOKING,
    "api:counselling-api:appointment-list": API_BOOKING,
    "api:counselling-api:appointment-cancel": row(
        403, anon=401, patient=405, other_patient=405, clinician=405, other_clinician=405
    ),
}

# The matrix posts an empty form. Routes that read a JSON body answer an allowed persona 415
# ("send JSON"): past every access check, with nothing changed. Anyone else's object is 404 first.
POST_EXPECTED: dict[str, dict[str, int]] = {
    # The world's notification belongs to `patient`: anyone else's is not found.
    "api:notifications-api:notification-read": row(404, anon=401, patient=200),
    # The world's dose is `patient`'s today: those who may record it get as far as the body.
    "api:dosing-api:dose-outcome": row(
        404, anon=401, staff=403, patient=415, supervisor=415, clinician=415
    ),
    "api:dosing-api:concern-create": row(403, anon=401, supervisor=415, stray_supervisor=415),
    # The world's alert is `patient`'s: their clinician acknowledges it; the other clinician
    # does not find it.
    "api:dosing-api:alert-acknowledge": row(403, anon=401, clinician=200, other_clinician=404),
    "api:counselling-api:appointment-list": row(
        403, anon=401, patient=415, other_patient=415, clinician=415, other_clinician=415
    ),
    # The world's booking is `patient`'s with `clinician`: anyone else does not find it.
    "api:counselling-api:appointment-cancel": row(
        403, anon=401, patient=415, clinician=415, other_patient=404, other_clinician=404
    ),
}
