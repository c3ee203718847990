"""Fixtures for the content tests."""

from __future__ import annotations

from typing import Any

import pytest

from apps.accounts.models import User
from apps.content import selectors, services
from apps.content.models import EntryStatus, FaqCategory, FaqEntry, SafetyMessageVersion
from tests.content.readability import use_local_cmudict


@pytest.fixture(scope="session")
def readability(tmp_path_factory: pytest.TempPathFactory) -> None:
    use_local_cmudict(tmp_path_factory.mktemp("nltk_data"))


@pytest.fixture
def faq_category(db: Any) -> FaqCategory:
    return FaqCategory.objects.get(slug="about", language="en-gb")


@pytest.fixture
def make_entry(staff: User, faq_category: FaqCategory) -> Any:
    counter = {"n": 0}

    def make(**overrides: Any) -> FaqEntry:
        counter["n"] += 1
        fields: dict[str, Any] = {
            "slug": f"test-entry-{counter['n']}",
            "language": "en-gb",
            "category": faq_category,
            "question": f"Test question {counter['n']}?",
            "answer": "A short answer.",
            "sources": "",
            "order": 900 + counter["n"],
            "audience": "everyone",
            "status": EntryStatus.PUBLISHED,
        }
        fields.update(overrides)
        return services.faq_entry_save(actor=staff, entry=None, **fields)

    return make


def current_version() -> SafetyMessageVersion:
    """The current safety messages (the migration publishes version 1)."""
    version = selectors.safety_version_current()
    assert version is not None
    return version
