"""Every shipped answer reads at or below grade 8 (Flesch-Kincaid, textstat), and every question
of the clinic's leaflet has a published answer."""

from __future__ import annotations

import pytest

from apps.content.models import EntryStatus, FaqEntry, SafetyMessageVersion
from tests.content.readability import reading_grade

MAX_GRADE = 8.0

# The leaflet's questions, in its order, and the entry that answers each.
LEAFLET_QUESTIONS = {
    "What is Naltrexone?": "what-is-naltrexone",
    "How does it work?": "how-does-it-work",
    "Why take it?": "why-take-it",
    "How effective is it?": "how-effective",
    "How long do I take it for?": "how-long",
    "Why does it have to be supervised?": "why-supervised",
    "Is Naltrexone addictive?": "is-it-addictive",
    "Is it a new drug?": "is-it-new",
    "Does it have side effects?": "side-effects",
    "Who should think of taking Naltrexone?": "who-is-it-for",
    "Is counselling needed as well?": "counselling",
    "How often does it have to be taken?": "how-often",
    "Liver Function Test": "liver-tests",
}
# What patients and families ask next (issue 4), and the supervisors' section.
FURTHER_QUESTIONS = [
    "missed-dose",
    "pain-relief-and-surgery",
    "naloxone",
    "alcohol",
    "pregnancy",
    "supervision-in-the-portal",
    "supervisor-watch-for",
    "supervisor-confirm-dose",
    "supervisor-naloxone",
    "supervisor-raise-concern",
    "supervisor-do-and-dont",
]


def shipped() -> list[FaqEntry]:
    return list(FaqEntry.objects.filter(language="en-gb").order_by("pk"))


@pytest.mark.django_db
def test_the_shipped_content_is_there() -> None:
    assert len(shipped()) >= 25


@pytest.mark.django_db
@pytest.mark.usefixtures("readability")
def test_every_shipped_answer_reads_at_grade_8_or_below() -> None:
    grades = {entry.slug: reading_grade(entry.answer) for entry in shipped()}
    too_hard = {slug: grade for slug, grade in grades.items() if grade > MAX_GRADE}
    assert not too_hard, f"Answers above grade {MAX_GRADE}: {too_hard}"


@pytest.mark.django_db
@pytest.mark.usefixtures("readability")
def test_the_safety_messages_read_at_grade_8_or_below() -> None:
    for version in SafetyMessageVersion.objects.filter(version__in=["1", "2"]):
        for message in version.messages:
            assert reading_grade(message["body"]) <= MAX_GRADE, (version.version, message["key"])


@pytest.mark.usefixtures("readability")
def test_the_grade_measure_tells_hard_text_from_plain_text() -> None:
    plain = "Take one tablet each day. Your friend watches you take it."
    hard = (
        "Pharmacological antagonism of mu-opioid receptors necessitates comprehensive "
        "multidisciplinary consideration of perioperative analgesic alternatives."
    )
    assert reading_grade(plain) <= MAX_GRADE < reading_grade(hard)


@pytest.mark.django_db
@pytest.mark.parametrize(("question", "slug"), LEAFLET_QUESTIONS.items())
def test_each_leaflet_question_has_a_published_answer(question: str, slug: str) -> None:
    entry = FaqEntry.objects.get(slug=slug, language="en-gb")
    assert entry.status == EntryStatus.PUBLISHED, question
    assert entry.versions.filter(version=entry.version).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", FURTHER_QUESTIONS)
def test_the_further_questions_are_answered(slug: str) -> None:
    assert FaqEntry.objects.filter(slug=slug, status=EntryStatus.PUBLISHED).exists()


@pytest.mark.django_db
def test_answers_backed_by_a_guideline_name_it() -> None:
    guideline_words = ("SmPC", "NICE", "Orange book", "SAMHSA")
    portal_only = {
        "supervision-in-the-portal",
        "supervisor-confirm-dose",
        "supervisor-raise-concern",
        "supervisor-do-and-dont",
    }
    for entry in shipped():
        if entry.slug in portal_only:
            continue
        assert any(word in entry.sources for word in guideline_words), entry.slug


@pytest.mark.django_db
def test_the_leaflet_corrections_are_made() -> None:
    """DOMAIN.md section 8: the blockade's length, effectiveness, side effects, alcohol."""
    answers = {entry.slug: entry.answer for entry in shipped()}
    assert "about one day after one tablet" in answers["how-does-it-work"]
    assert "up to three days" not in answers["how-does-it-work"]
    assert "only works when you take it" in answers["how-effective"]
    assert not answers["how-effective"].startswith("Completely")
    for sign in ("yellow skin or eyes", "dark urine", "right ribs", "headache", "trouble sleeping"):
        assert sign in answers["side-effects"]
    assert "stop drinking" in answers["alcohol"]
    assert "nalmefene" in answers["alcohol"]
    assert "72 hours" in answers["pain-relief-and-surgery"]
