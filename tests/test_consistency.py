"""Consistency across every page each persona can open: no label or legend ends in a colon, no
"---------" empty choice, and the sign-in and account pages (allauth's) speak in sentence case."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.test_access_matrix import EXPECTED

ROOT = Path(__file__).resolve().parents[1]

NOT_PAGES = {
    "core:healthz",
    "notifications:health",
    "core:theme",
    "accounts:data-export",
    "accounts:consent-download",
    "content:alert-card-pdf",
}
PERSONAS = ("anon", "patient", "supervisor", "clinician", "staff")
ACCOUNT_PAGES = {
    "anon": ["account_login", "account_reset_password", "account_signup"],
    "patient": ["account_email", "account_change_password", "mfa_index", "account_reauthenticate"],
    "clinician": ["mfa_index", "account_change_password"],
}

LABEL = re.compile(r"<(label|legend)\b[^>]*>(.*?)</\1>", re.S)
TAG = re.compile(r"<[^>]+>")
EMPTY_CHOICE = re.compile(r"<option[^>]*>\s*-{3,}\s*</option>")


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(TAG.sub(" ", fragment)).split())


def _pages(persona: str, world) -> list[str]:
    names = sorted(
        name
        for name, statuses in EXPECTED.items()
        if statuses.get(persona) == 200 and name not in NOT_PAGES and not name.startswith("api:")
    )
    return [world.reverse(n) for n in names] + [reverse(n) for n in ACCOUNT_PAGES.get(persona, [])]


def problems_in(page: str) -> list[str]:
    found = []
    for _, inner in LABEL.findall(page):
        text = _text(inner)
        if text.endswith(":"):
            found.append(f"label ends in a colon: {text!r}")
    found.extend(f"empty choice: {m.group()!r}" for m in EMPTY_CHOICE.finditer(page))
    return found


@pytest.mark.parametrize("persona", PERSONAS)
def test_forms_have_no_label_colons_and_no_dashed_empty_choice(client, world, persona):
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    found: list[str] = []
    for url in _pages(persona, world):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found.extend(f"{url}: {p}" for p in problems_in(response.content.decode()))
    assert not found, "\n".join(found)


# Words that keep a capital inside a sentence.
PROPER = {"I", "OK", "TOTP", "Riverside", "Health", "Centre", "NHS", "GP", "UK"}
HEADING = re.compile(r"<(h1|h2|h3|title|button|legend)\b[^>]*>(.*?)</\1>", re.S)


def title_case_in(page: str) -> list[str]:
    """Headings, titles and buttons where a word after the first starts with a capital."""
    found = []
    for _, inner in HEADING.findall(page):
        text = _text(inner).split(" \u2013 ")[0]  # the page title ends with the clinic's name
        words = re.findall(r"[A-Za-z][\w'-]*", text)
        capitals = [w for w in words[1:] if w[0].isupper() and w not in PROPER]
        if capitals:
            found.append(text)
    return found


ALLAUTH_PAGES = {
    None: [
        "account_login",
        "account_reset_password",
        "account_signup",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
    "patient": ["account_email", "account_change_password", "account_reauthenticate", "mfa_index"],
    "clinician": ["mfa_index", "account_change_password"],
}


@pytest.mark.parametrize("persona", list(ALLAUTH_PAGES))
def test_sign_in_and_account_pages_use_sentence_case(client, world, persona):
    if persona is not None:
        client.force_login(world.personas[persona])
    found = []
    for name in ALLAUTH_PAGES[persona]:
        response = client.get(reverse(name))
        if response.status_code != 200:
            found.append(f"{name}: answered {response.status_code}")
            continue
        found.extend(f"{name}: {t!r}" for t in title_case_in(response.content.decode()))
    assert not found, "\n".join(found)


def test_the_compiled_sentence_case_catalogue_matches_its_source():
    """locale/en_GB/LC_MESSAGES/django.po is compiled to django.mo (msgfmt): edit one, compile."""
    from django.utils import translation

    source = (ROOT / "locale/en_GB/LC_MESSAGES/django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, re.M)
    assert len(pairs) > 50
    with translation.override("en-gb"):
        stale = [(a, b) for a, b in pairs if translation.gettext(a) != b]
    assert not stale, f"Compile the catalogue again: {stale[:5]}"
