"""The phone navigation: one "Menu" line when closed (it used to take a third of a patient's
screen), opens with the keyboard and without JavaScript, with 44px targets; wide screens show the
list itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

ONE_LINE_PX = 60  # a 44px target plus the bar's padding


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_patient_phone_menu_is_one_line_and_opens_with_the_keyboard(
    browser, live_server, client, patient, javascript
):
    from django.conf import settings

    context = browser.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=javascript
    )
    client.force_login(patient)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("content:faq-portal"))
        nav = page.locator("nav.site-nav")
        closed = nav.bounding_box()
        assert closed is not None
        assert closed["height"] <= ONE_LINE_PX, closed
        assert not page.locator(".site-nav__wide").is_visible()
        summary = page.locator(".site-nav__menu > summary")
        box = summary.bounding_box()
        assert box is not None
        assert box["height"] >= 44
        assert not page.get_by_role("link", name="Your doses").is_visible()

        # Keyboard only: Tab reaches the menu, Enter opens it.
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        page.keyboard.press("Enter")
        links = page.locator(".site-nav__menu[open] .site-nav__list a")
        assert links.count() >= 5
        for index in range(links.count()):
            link_box = links.nth(index).bounding_box()
            assert link_box is not None
            assert link_box["height"] >= 44
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Home"
    finally:
        context.close()


def test_wide_screens_show_the_whole_list(signed_in_page, live_server, patient):
    page = signed_in_page(patient, width=1280)
    page.goto(live_server.url + reverse("content:faq-portal"))
    assert not page.locator(".site-nav__menu").is_visible()
    assert page.locator(".site-nav__wide").get_by_role("link", name="Your doses").is_visible()


@pytest.mark.parametrize("width", [320, 1280])
def test_error_pages_pass_axe(signed_in_page, live_server, patient, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for user, path in (
        (None, "/no-such-page/"),
        (patient, "/no-such-page/"),
        (patient, reverse("accounts:caseload")),  # 403: a clinician's page
    ):
        page = signed_in_page(user, width=width)
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status in (403, 404)
        results = axe.run(page)
        if results.violations_count:
            problems.append(f"{path}: {results.generate_report()}")
    assert not problems, "\n".join(problems)
