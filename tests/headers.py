"""Security headers every page must carry (checked on every response of the access matrix)."""

from __future__ import annotations

from typing import Any


def csp_directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def assert_security_headers(response: Any, *, signed_in: bool) -> None:
    """CSP without inline or eval'd scripts or inline styles, no framing, a referrer policy, and
    no-store wherever the answer may hold patient data (anything a signed-in person sees)."""
    csp = csp_directives(response["Content-Security-Policy"])
    scripts = csp.get("script-src", csp.get("default-src", []))
    assert scripts, "CSP names no script sources"
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp.get("frame-ancestors") == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert response["X-Content-Type-Options"] == "nosniff"
    if signed_in:
        assert "no-store" in response.get("Cache-Control", ""), "patient data must not be cached"
