"""The access matrix: every named URL of the project, every persona, one expected status.

- A route without a row fails `test_every_url_has_a_row`: add its row when you add the route.
- Another patient's object is 404 (no existence leak), a wrong role 403, anonymous 302 to sign
  in (401 for the API). POST-only routes answer 405 to a GET from an allowed persona; their POST
  rows are in POST_EXPECTED.
"""

from __future__ import annotations

from fnmatch import fnmatch

import pytest
from rest_framework.views import APIView

from apps.accounts.access import ACCESS_ATTR, HasRole
from tests.urlwalk import walk

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
    statuses = {p: default for p in PERSONAS}
    statuses["anon"] = anon
    statuses.update(overrides)
    return statuses


EVERYONE = row(200, anon=200)
SIGNED_IN = row(200)
PATIENTS = row(403, patient=200, other_patient=200)
SUPERVISORS = row(403, supervisor=200, stray_supervisor=200)
CLINICIANS = row(403, clinician=200, other_clinician=200)
STAFF = row(403, staff=200)

# url name -> persona -> GET status. The world's objects belong to `patient`, supervised by
# `supervisor` and cared for by `clinician`; the `other_*` and `stray_*` personas are strangers.
EXPECTED: dict[str, dict[str, int]] = {
    # Public
    "core:home": EVERYONE,
    "core:healthz": EVERYONE,
    "core:theme": EVERYONE,
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
    # The patient's own consent: patient, their supervisor and their clinician.
    "accounts:consent-detail": row(
        403, patient=200, other_patient=404, supervisor=200, stray_supervisor=404,
        clinician=200, other_clinician=404,
    ),
    "accounts:consent-download": row(
        403, patient=200, other_patient=404, supervisor=200, stray_supervisor=404,
        clinician=200, other_clinician=404,
    ),
    "accounts:consent-revoke": row(
        403, patient=405, other_patient=405, clinician=405, other_clinician=405
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
    "accounts:consent-revoke": row(
        403, patient=302, other_patient=404, clinician=302, other_clinician=404
    ),
    "accounts:consent-confirm": row(403, clinician=302, other_clinician=404),
}

# Third-party URL sets, each with its reason.
EXEMPT = {
    # Django admin: staff only, behind the portal's own sign-in (tested in test_admin.py).
    "admin:*",
    # allauth's account pages (sign-in, reset, e-mail) are for everyone by design; their rules
    # (no sign-up, enumeration, rate limits) are tested in tests/accounts/test_auth.py.
    "account_*",
    # allauth's two-factor pages act only on the signed-in user's own authenticators.
    "mfa_*",
    # allauth's headless API for apps: the same rules as account_* and mfa_*, over JSON.
    "headless:*",
}


def exempt(name: str) -> bool:
    return any(fnmatch(name, pattern) for pattern in EXEMPT)


def test_every_url_has_a_row() -> None:
    names = {name for name, _params, _view in walk() if not exempt(name)}
    missing = names - EXPECTED.keys()
    assert not missing, f"Add access expectations for: {sorted(missing)}"
    stale = EXPECTED.keys() - names
    assert not stale, f"Rows for routes that no longer exist: {sorted(stale)}"


def test_every_row_names_every_persona() -> None:
    for name, statuses in {**EXPECTED, **POST_EXPECTED}.items():
        assert set(statuses) == set(PERSONAS), name


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = []
    for name, _params, view in walk():
        if exempt(name):
            continue
        view_class = getattr(view, "cls", None)
        if getattr(view, ACCESS_ATTR, None):
            continue
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            if any(issubclass(p, HasRole) for p in view_class.permission_classes):
                continue
        undeclared.append(name)
    assert not undeclared, f"Add @role_required or @public (HasRole for the API): {undeclared}"


@pytest.mark.parametrize(
    ("name", "persona"), [(n, p) for n, statuses in EXPECTED.items() for p in statuses]
)
def test_get_access(client, world, name, persona):
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(world.reverse(name))
    assert response.status_code == EXPECTED[name][persona], response.get("Location")
    if response.status_code == 302 and persona == "anon":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("name", "persona"), [(n, p) for n, statuses in POST_EXPECTED.items() for p in statuses]
)
def test_post_access(client, world, name, persona):
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.post(world.reverse(name))
    assert response.status_code == POST_EXPECTED[name][persona]
    if persona == "anon":
        assert response["Location"].startswith("/accounts/login/")
