"""The wording changes of the clinical safety review (issue 10): help answers in the portal's own
words, no line that echoes testing the block, surgery advice tied to opioid pain relief, the real
intervals and the naloxone test explained in safety message 1, and the published wording of the
instrument items."""

from __future__ import annotations

import pytest

from apps.content.models import FaqEntry
from apps.content.selectors import safety_version_current
from apps.intake import instruments


def answer(slug: str) -> str:
    return FaqEntry.objects.get(slug=slug, language="en-gb").answer


@pytest.mark.django_db
def test_no_answer_echoes_testing_the_block() -> None:
    for entry in FaqEntry.objects.all():
        assert "try it once" not in entry.answer
        assert "waste of money" not in entry.answer


@pytest.mark.django_db
def test_supervision_and_counselling_answers_do_not_reuse_the_leaflet_sentences() -> None:
    supervised = answer("why-supervised")
    for leaflet in ("motivation may slip", "much less trouble than a relapse", "annoying"):
        assert leaflet not in supervised
    counselling = answer("counselling")
    assert "We are happy to include your family" not in counselling
    assert "2 or 3 sessions" in counselling
    entry = FaqEntry.objects.get(slug="counselling", language="en-gb")
    assert entry.version == 2
    assert entry.reviewed_by is None  # a changed answer needs the clinic's review again
    assert entry.versions.filter(version=2).exists()


@pytest.mark.django_db
def test_surgery_advice_applies_when_opioid_pain_relief_may_be_needed() -> None:
    text = answer("pain-relief-and-surgery")
    assert "Planned surgery or dental work" not in text
    assert "if you may need opioid pain relief for it" in text
    assert "does not need you to stop" in text


@pytest.mark.django_db
def test_before_the_first_dose_gives_every_interval_and_explains_the_naloxone_test() -> None:
    text = answer("before-first-dose")
    for words in ("at least 7 days", "at least 10 days", "fentanyl", "depot", "In this test"):
        assert words in text


@pytest.mark.django_db
def test_safety_message_1_gives_the_real_intervals() -> None:
    current = safety_version_current()
    assert current is not None
    assert current.version == "2"
    first = current.messages[0]
    assert first["key"] == "withdrawal"
    for words in ("at least 7 days", "10 days or more", "depot", "naloxone test: a small dose"):
        assert words in first["body"]
    pain = next(m for m in current.messages if m["key"] == "pain_relief")
    assert "where you may need opioid pain relief" in pain["body"]


def test_instrument_items_use_the_published_wording() -> None:
    dast = {i.key: i.text for i in instruments.DAST_10.items}
    assert dast["dast_2"] == "Do you abuse more than one drug at a time?"
    assert dast["dast_8"] == "Have you engaged in illegal activities in order to obtain drugs?"
    assert dast["dast_10"] == (
        "Have you had medical problems as a result of your drug use (e.g. memory loss, "
        "hepatitis, convulsions, bleeding, etc.)?"
    )
    audit = {i.key: i.text for i in instruments.AUDIT.items}
    assert audit["audit_5"] == (
        "How often during the last year have you failed to do what was normally expected from "
        "you because of drinking?"
    )
    assert instruments.COWS.intro.startswith(
        "For each item, circle the number that best describes the patient's signs or symptom."
    )
