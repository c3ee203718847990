"""Error pages: the portal's layout, plain words, a way back and the clinic's 24-hour number, for
400, 403 (and a failed CSRF check), 404 and 500; JSON under /api/; the same pages with DEBUG on
(`make run`); and a 500 page that renders when the database is down."""

from __future__ import annotations

import pytest
from django.core.exceptions import BadRequest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.clinic.selectors import clinic_settings_cached
from apps.core.errors import ErrorPagesMiddleware

LAYOUT = 'class="site-header"'


def _phone() -> str:
    return str(clinic_settings_cached().phone_24h)


def _assert_portal_page(response, status: int, heading: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert LAYOUT in html
    assert _phone() in html
    assert "999" in html
    assert "Traceback" not in html


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_unknown_address_gets_the_portal_404_page(client, db, debug):
    response = client.get("/no-such-page/")
    _assert_portal_page(response, 404, "Page not found")
    assert f'href="{reverse("core:home")}"' in response.content.decode()


def test_missing_object_gets_the_portal_404_page(client, patient, other_patient, debug):
    client.force_login(patient)
    response = client.get(reverse("content:alert-card", args=[other_patient.pk]))
    _assert_portal_page(response, 404, "Page not found")
    assert f'href="{reverse("core:dashboard")}"' in response.content.decode()


def test_wrong_role_gets_the_portal_403_page(client, patient, debug):
    client.force_login(patient)
    response = client.get(reverse("accounts:caseload"))
    _assert_portal_page(response, 403, "You cannot see this page")
    assert "403 Forbidden" not in response.content.decode()


def test_api_errors_stay_json(client, patient, debug):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_failed_csrf_check_gets_a_page_that_says_what_to_do(db, debug):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.example", "password": "x"})
    _assert_portal_page(response, 403, "Your form was not sent")
    assert "send the form again" in response.content.decode()


def test_bad_request_gets_the_portal_400_page(client, db):
    # A request for a host the portal does not serve is refused as a bad request.
    response = client.get("/", HTTP_HOST="not-this-portal.example")
    _assert_portal_page(response, 400, "Sorry, we could not read that")


def test_bad_request_raised_in_a_view_gets_the_portal_page_in_debug(db, settings):
    settings.DEBUG = True
    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = ErrorPagesMiddleware(lambda r: HttpResponse()).process_exception(
        request, BadRequest("x")
    )
    _assert_portal_page(response, 400, "Sorry, we could not read that")


@pytest.mark.urls("tests.core.error_urls")
def test_a_bug_gets_the_portal_500_page_with_the_clinic_number(db, debug, caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Sorry, something went wrong</h1>" in html
    assert _phone() in html
    assert 'href="/"' in html
    assert "Traceback" not in html
    # The details are in the log for whoever runs the portal, never on the page.
    assert any(r.exc_info and r.status_code == 500 for r in caplog.records)


@pytest.mark.urls("tests.core.error_urls")
def test_500_page_renders_without_the_database(db, debug, monkeypatch, django_assert_num_queries):
    def down() -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("apps.clinic.selectors.clinic_settings_cached", down)
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-database-down/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Sorry, something went wrong</h1>" in html
    assert "24-hour number" in html
    assert "alert card" in html
    assert "999" in html


def test_technical_pages_only_when_asked_for(client, db, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" not in response.content.decode()


def test_unknown_address_without_slash_still_redirects(client, db, debug):
    # The 404 passes back through CommonMiddleware, which adds the missing slash.
    response = client.get(reverse("accounts:profile").rstrip("/"))
    assert response.status_code == 301


def test_signed_in_person_sees_their_navigation_on_the_404_page(client, patient, debug):
    client.force_login(patient)
    response = client.get("/no-such-page/")
    assert 'class="site-nav"' in response.content.decode()
