"""The API documentation page (vendored Swagger UI) loads in a real browser under the portal's
strict Content-Security-Policy: no violation reported, and the operations are listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_api_docs_load_with_no_csp_violation(signed_in_page, live_server, db):
    page = signed_in_page(None)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(live_server.url + reverse("api:docs"))
    page.wait_for_selector("text=/api/v1/me/", timeout=20000)
    assert page.evaluate("window.__csp") == []
    assert not [p for p in problems if "Content Security Policy" in p], problems
