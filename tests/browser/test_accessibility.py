"""Every page each persona can open passes axe-core with no violations, at phone and desktop
widths, and the skip link is the first thing the keyboard reaches."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.test_access_matrix import EXPECTED

pytestmark = pytest.mark.browser

# Downloads and machine-readable routes are not pages.
NOT_PAGES = {
    "core:healthz",
    "notifications:health",
    "core:theme",
    "accounts:data-export",
    "accounts:record-pdf",
    "accounts:consent-download",
    "content:alert-card-pdf",
}


def is_api(name: str) -> bool:
    """The API answers JSON; its docs page is the vendored Swagger UI, for developers (its CSP
    is checked in tests/api/test_schema.py)."""
    return name.startswith("api:")


PERSONAS = ("anon", "patient", "supervisor", "clinician", "staff")
# Sign-in and account pages (allauth, re-skinned with the portal's layout).
ACCOUNT_PAGES = {
    "anon": ["account_login", "account_reset_password", "account_signup"],
    "patient": ["account_email", "account_change_password", "mfa_index"],
    "clinician": ["mfa_index"],
}


def pages_for(persona: str, world) -> list[str]:
    names = sorted(
        name
        for name, statuses in EXPECTED.items()
        if statuses.get(persona) == 200 and name not in NOT_PAGES and not is_api(name)
    )
    return [world.reverse(n) for n in names] + [reverse(n) for n in ACCOUNT_PAGES.get(persona, [])]


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_pass_axe(signed_in_page, live_server, world, persona):
    axe = Axe()
    problems = []
    for width in (320, 1280):
        page = signed_in_page(world.personas[persona], width=width)
        for path in pages_for(persona, world):
            # Calendar files and other downloads are not pages: ask first, as the browser would.
            head = page.request.get(live_server.url + path)
            if "text/html" not in head.headers.get("content-type", ""):
                continue
            page.goto(live_server.url + path)
            results = axe.run(page)
            if results.violations_count:
                problems.append(f"{width}px {path}: {results.generate_report()}")
    assert not problems, "\n\n".join(problems)


def test_skip_link_comes_first_and_moves_focus_to_main(signed_in_page, live_server, world):
    page = signed_in_page(world.personas["patient"])
    page.goto(live_server.url + world.reverse("core:patient-dashboard"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_no_horizontal_scroll_at_320_pixels(signed_in_page, live_server, world):
    for persona, name in (
        ("patient", "accounts:consent-grant"),
        ("clinician", "accounts:caseload"),
    ):
        page = signed_in_page(world.personas[persona], width=320)
        page.goto(live_server.url + world.reverse(name))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px"
