"""Rendered help is kept by content version: a saved change shows on the next request."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from apps.content import services


def test_help_shows_a_saved_change_at_once(
    client, make_entry: Any, staff, django_capture_on_commit_callbacks
) -> None:
    url = reverse("content:faq-public")
    with django_capture_on_commit_callbacks(execute=True):
        entry = make_entry(question="Can I drink alcohol while taking naltrexone?")
    assert "Can I drink alcohol while taking naltrexone?" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.faq_entry_save(
            actor=staff, entry=entry, question="Is it safe to drink alcohol on naltrexone?"
        )
    body = client.get(url).content.decode()
    assert "Is it safe to drink alcohol on naltrexone?" in body
    assert "Can I drink alcohol while taking naltrexone?" not in body


@pytest.mark.django_db
def test_search_is_never_served_from_the_kept_page(client, make_entry: Any) -> None:
    make_entry(question="How long does the blockade last?")
    make_entry(question="What about painkillers?")
    client.get(reverse("content:faq-public"))
    body = client.get(reverse("content:faq-public"), {"q": "painkillers"}).content.decode()
    assert "What about painkillers?" in body
    assert "How long does the blockade last?" not in body
