"""Access-matrix rows for the API (/api/v1/): the web's rules, in the API's words. Anonymous
callers get 401 (not a redirect); a wrong role 403; another patient's record 404."""

from __future__ import annotations

from tests.matrix import EVERYONE, row

API_SIGNED_IN = row(200, anon=401)
API_PATIENTS = row(403, anon=401, patient=200, other_patient=200)

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
}

# The world's notification belongs to `patient`: anyone else's is not found.
POST_EXPECTED: dict[str, dict[str, int]] = {
    "api:notifications-api:notification-read": row(404, anon=401, patient=200),
}
