"""The access matrix: every route of the project, named or not, every persona, one expected
status, checked twice: with the browser's session cookie and with an app's session token.

How to add rows (in `tests/<app>/access_rows.py`, listed in ROW_MODULES):
- A named route: key the row by its namespaced name, `"accounts:consent-detail": row(...)`.
- A route without a name: key the row by its path pattern from the root, with a leading slash,
  exactly as Django prints it: `"/reports/<int:patient_id>/": row(...)`. (Better: give it a name.)
- POST-only routes answer 405 to a GET from an allowed persona; their POST rows are in
  POST_EXPECTED.
- Another patient's object is 404 (no existence leak), a wrong role 403, anonymous 302 to sign
  in (401 for the API).

What fails the suite:
- any route, named or not, without a row (`test_every_route_has_a_row`), and rows for routes
  that no longer exist;
- a view with neither `@role_required` nor `@public` (`HasRole` for the API);
- any persona getting another status than its row says, with a cookie (`test_get_access`,
  `test_post_access`) or with a token (`test_token_access`): an app's token opens the API as the
  cookie does, and never opens a web page (a page answers the token as it answers `anon`);
- any page answered 200 without the security headers (tests/headers.py: CSP without inline
  scripts, no framing, a referrer policy, and no-store for anyone signed in).

Third-party URL sets are exempt by the MODULE they come from (EXEMPT_URL_SETS), one by one with a
reason; a route of ours is never exempt because of its name.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module

import pytest
from django.http import HttpResponse
from django.urls import clear_url_caches, path
from rest_framework.views import APIView

from apps.accounts.access import ACCESS_ATTR, HasRole, public
from tests.headers import assert_security_headers
from tests.matrix import PERSONAS
from tests.tokens import token_for
from tests.urlwalk import Route, walk

# Each app keeps its rows beside its tests; add a module here when an app adds routes.
ROW_MODULES = [
    "tests.accounts.access_rows",
    "tests.clinic.access_rows",
    "tests.content.access_rows",
    "tests.counselling.access_rows",
    "tests.dosing.access_rows",
    "tests.intake.access_rows",
    "tests.notifications.access_rows",
    "tests.dosing.escalation_access_rows",
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

# Third-party URL sets, by the module they come from, each with its reason.
EXEMPT_URL_SETS: dict[str, str] = {
    "allauth.urls": (
        "allauth's account and two-factor pages (sign-in, reset, e-mail, authenticators) are for "
        "everyone by design and act only on the signed-in user's own account; their rules (no "
        "sign-up, enumeration, rate limits, two-factor) are tested in tests/accounts/test_auth.py."
    ),
    "allauth.headless.urls": (
        "allauth's headless API for apps: the same flows as allauth.urls over JSON; app tokens "
        "and their rules are tested in tests/accounts/test_app_tokens.py."
    ),
    "django.contrib.admin.sites": (
        "The Django admin: staff only, behind the portal's own sign-in and two-factor check "
        "(tests/accounts/test_admin.py, tests/content/test_admin.py)."
    ),
}


def routes() -> list[Route]:
    return list(walk(frozenset(EXEMPT_URL_SETS)))


def own_routes() -> list[Route]:
    return [route for route in routes() if route.url_set is None]


def test_every_route_has_a_row() -> None:
    keys = {route.key for route in own_routes()}
    missing = keys - EXPECTED.keys() - POST_ONLY_KEYS
    assert not missing, f"Add access expectations for: {sorted(missing)}"
    stale = (EXPECTED.keys() | POST_EXPECTED.keys()) - keys
    assert not stale, f"Rows for routes that no longer exist: {sorted(stale)}"


def test_every_exempt_url_set_is_still_there() -> None:
    assert {route.url_set for route in routes()} - {None} == set(EXEMPT_URL_SETS)


# POST_EXPECTED routes still need their GET row (405 for allowed personas); none is POST-only.
POST_ONLY_KEYS: set[str] = set()


def test_every_row_names_every_persona() -> None:
    for name, statuses in {**EXPECTED, **POST_EXPECTED}.items():
        assert set(statuses) == set(PERSONAS), name


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = []
    for route in own_routes():
        view = route.view
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
        undeclared.append(route.key)
    assert not undeclared, f"Add @role_required or @public (HasRole for the API): {undeclared}"


def test_an_unnamed_route_without_a_row_fails_the_matrix(settings) -> None:
    """The gate itself: a scratch route with no name (and no row) is found and reported."""
    scratch = types.ModuleType("scratch_urls")
    scratch.urlpatterns = [  # type: ignore[attr-defined]
        *import_module(settings.ROOT_URLCONF).urlpatterns,
        path("scratch/<int:patient_id>/", public(lambda request, patient_id: HttpResponse())),
    ]
    sys.modules["scratch_urls"] = scratch
    settings.ROOT_URLCONF = "scratch_urls"
    clear_url_caches()
    try:
        keys = {route.key for route in own_routes()}
        assert "/scratch/<int:patient_id>/" in keys
        with pytest.raises(AssertionError, match="scratch"):
            test_every_route_has_a_row()
    finally:
        del sys.modules["scratch_urls"]
        clear_url_caches()


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
    # The headers test: every page, every persona that may open it.
    if response.status_code == 200:
        assert_security_headers(response, signed_in=user is not None)


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


def _is_api(key: str, url: str) -> bool:
    return url.startswith("/api/")


@pytest.mark.parametrize("name", sorted(EXPECTED.keys() | POST_EXPECTED.keys()))
def test_token_access(client, world, name):
    """Each row again with an app's session token instead of the cookie: the API answers the
    token as it answers the cookie; a web page answers it as it answers someone signed out."""
    url = world.reverse(name)
    for method, table in (("get", EXPECTED), ("post", POST_EXPECTED)):
        if name not in table:
            continue
        for persona, cookie_status in table[name].items():
            user = world.personas[persona]
            headers = {"HTTP_X_SESSION_TOKEN": token_for(user)} if user is not None else {}
            client.cookies.clear()
            response = getattr(client, method)(url, **headers)
            expected = cookie_status if _is_api(name, url) else table[name]["anon"]
            assert response.status_code == expected, (method, persona)
            if response.status_code == 200:
                # A web page answers a token as a signed-out visitor: the API as signed in.
                signed_in = user is not None and _is_api(name, url)
                assert_security_headers(response, signed_in=signed_in)
