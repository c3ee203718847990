"""Access-matrix rows for the core and accounts routes."""

from __future__ import annotations

from tests.matrix import CLINICIANS, EVERYONE, PATIENTS, SIGNED_IN, STAFF, SUPERVISORS, row

CONSENT_READERS = row(
    403,
    patient=200,
    other_patient=404,
    supervisor=200,
    stray_supervisor=404,
    clinician=200,
    other_clinician=404,
)

# url name -> persona -> GET status. The world's objects belong to `patient`, supervised by
# `supervisor` and cared for by `clinician`; the `other_*` and `stray_*` personas are strangers.
EXPECTED: dict[str, dict[str, int]] = {
    # Public
    "core:home": EVERYONE,
    "core:healthz": EVERYONE,
    "core:theme": EVERYONE,
    "core:manifest": EVERYONE,
    "accounts:invitation-accept": EVERYONE,
    "api:schema": EVERYONE,
    # Everyone signed in
    "core:dashboard": row(302),
    "accounts:profile": SIGNED_IN,
    "api:accounts-api:me": row(200, anon=401),
    # Patient
    "core:patient-dashboard": PATIENTS,
    "accounts:consent-list": PATIENTS,
    "accounts:consent-grant": PATIENTS,
    "accounts:disclosure-list": PATIENTS,
    "accounts:data-export": PATIENTS,
    "accounts:record": PATIENTS,
    "accounts:record-pdf": PATIENTS,
    # The patient's own consent: patient, their supervisor and their clinician.
    "accounts:consent-detail": CONSENT_READERS,
    "accounts:consent-download": CONSENT_READERS,
    # A confirmation page first (GET), then the end itself (POST from that page).
    "accounts:consent-revoke": row(
        403, patient=200, other_patient=404, clinician=200, other_clinician=404
    ),
    # Supervisor
    "core:supervisor-dashboard": SUPERVISORS,
    "accounts:consent-respond": row(403, supervisor=200, stray_supervisor=404),
    "accounts:supervised-patient-detail": row(403, supervisor=200, stray_supervisor=404),
    # Clinician
    "core:clinician-dashboard": CLINICIANS,
    "accounts:caseload": CLINICIANS,
    "accounts:patient-invite": CLINICIANS,
    "accounts:patient-detail": row(403, clinician=200, other_clinician=404),
    "accounts:consent-confirm": row(403, clinician=405, other_clinician=405),
    # Staff
    "accounts:staff-invite": STAFF,
    "accounts:patient-reassign": STAFF,
}

# POST-only routes: persona -> status of a POST with no form data. Objects outside the persona's
# care links are 404 before any rule is checked.
POST_EXPECTED: dict[str, dict[str, int]] = {
    # An empty POST is not a confirmation: the page again (400), nothing ended.
    "accounts:consent-revoke": row(
        403, patient=400, other_patient=404, clinician=400, other_clinician=404
    ),
    "accounts:consent-confirm": row(403, clinician=302, other_clinician=404),
}
