"""The access matrix: every named URL of the project, every persona, one expected status.

- A route without a row fails `test_every_url_has_a_row`: add its row when you add the route.
- Another patient's object is 404 (no existence leak), a wrong role 403, anonymous 302 to sign
  in (401 for the API). POST-only routes answer 405 to a GET from an allowed persona; their POST
  rows are in POST_EXPECTED.
"""

from __future__ import annotations

from fnmatch import fnmatch
from importlib import import_module

import pytest
from rest_framework.views import APIView

from apps.accounts.access import ACCESS_ATTR, HasRole
from tests.matrix import PERSONAS
from tests.urlwalk import walk

# Each app keeps its rows beside its tests; add a module here when an app adds routes.
ROW_MODULES = [
    "tests.accounts.access_rows",
    "tests.clinic.access_rows",
    "tests.content.access_rows",
    "tests.intake.access_rows",
    "tests.notifications.access_rows",
    "tests.api.access_rows",
]
EXPECTED: dict[str, dict[str, int]] = {}
POST_EXPECTED: dict[str, dict[str, int]] = {}
for _module in ROW_MODULES:
    _rows = import_module(_module)
    for _target, _source in ((EXPECTED, _rows.EXPECTED), (POST_EXPECTED, _rows.POST_EXPECTED)):
        _clash = _target.keys() & _source.keys()
        assert not _clash, f"Two row modules claim {sorted(_clash)}"
        _target.update(_source)

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
        if (
            isinstance(view_class, type)
            and issubclass(view_class, APIView)
            and any(
                isinstance(p, type) and issubclass(p, HasRole)
                for p in view_class.permission_classes
            )
        ):
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
    if persona == "anon" and response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
