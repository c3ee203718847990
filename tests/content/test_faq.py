"""FAQ: staff edits through the service (kept versions, audit, refusals), the review list,
sanitised answers on every page, search, audiences, and a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.content import selectors, services
from apps.content.models import EntryStatus, FaqEntry, FaqEntryVersion
from apps.content.selectors import FAQ_VERSION_KEY
from apps.core.exceptions import ServiceError

# --- Service: versions, audit, refusals ---------------------------------------------------------


def test_publishing_an_entry_keeps_version_1(make_entry, staff) -> None:
    entry = make_entry()
    assert entry.version == 1
    kept = FaqEntryVersion.objects.get(entry=entry)
    assert (kept.version, kept.question, kept.published_by) == (1, entry.question, staff)
    assert AuditEvent.objects.filter(
        action="content.faq_entry_published", target_id=str(entry.pk)
    ).exists()


def test_each_published_change_keeps_the_previous_wording(make_entry, staff) -> None:
    entry = make_entry(answer="First wording.")
    entry = services.faq_entry_save(actor=staff, entry=entry, answer="Second wording.")
    entry = services.faq_entry_save(actor=staff, entry=entry, answer="Third wording.")
    assert entry.version == 3
    assert list(entry.versions.order_by("version").values_list("answer", flat=True)) == [
        "First wording.",
        "Second wording.",
        "Third wording.",
    ]


def test_a_change_to_governance_fields_only_is_not_a_new_version(make_entry, staff, clinician):
    entry = make_entry()
    entry = services.faq_entry_save(
        actor=staff, entry=entry, reviewed_by=clinician, reviewed_at=date(2026, 11, 1)
    )
    assert entry.version == 1
    assert entry.next_review_due == date(2027, 11, 1)  # a year after the review by default
    assert AuditEvent.objects.filter(
        action="content.faq_entry_changed", target_id=str(entry.pk)
    ).exists()


def test_a_draft_is_not_versioned_until_published(make_entry, staff) -> None:
    entry = make_entry(status=EntryStatus.DRAFT)
    assert entry.version == 0
    assert not entry.versions.exists()
    entry = services.faq_entry_save(actor=staff, entry=entry, status=EntryStatus.PUBLISHED)
    assert entry.version == 1
    assert entry.versions.count() == 1


@pytest.mark.parametrize("persona", ["patient", "supervisor", "clinician"])
def test_only_staff_edit_entries(request, make_entry, persona) -> None:
    entry = make_entry()
    with pytest.raises(PermissionDenied):
        services.faq_entry_save(actor=request.getfixturevalue(persona), entry=entry, answer="x")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answer": "  "}, "answer"),
        ({"slug": "what-is-naltrexone"}, "slug"),
        (
            {"reviewed_at": date(2026, 11, 1), "next_review_due": date(2026, 10, 1)},
            "next_review_due",
        ),
        ({"reviewed_at": date(2030, 1, 1)}, "reviewed_at"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(make_entry, staff, changes, field) -> None:
    entry = make_entry(answer="Kept.")
    with pytest.raises(ServiceError) as refused:
        services.faq_entry_save(actor=staff, entry=entry, **changes)
    assert refused.value.field == field
    entry.refresh_from_db()
    assert (entry.answer, entry.version) == ("Kept.", 1)


def test_a_patient_cannot_be_named_as_reviewer(make_entry, staff, patient) -> None:
    entry = make_entry()
    with pytest.raises(ServiceError) as refused:
        services.faq_entry_save(
            actor=staff, entry=entry, reviewed_by=patient, reviewed_at=date(2026, 11, 1)
        )
    assert refused.value.field == "reviewed_by"


# --- Review list --------------------------------------------------------------------------------


@time_machine.travel("2027-03-01 12:00Z")
def test_staff_see_entries_past_their_review_date(client, staff, clinician, make_entry) -> None:
    overdue = make_entry(question="Overdue question?")
    services.faq_entry_save(
        actor=staff,
        entry=overdue,
        reviewed_by=clinician,
        reviewed_at=date(2026, 1, 1),
        next_review_due=date(2027, 2, 1),
    )
    current = make_entry(question="Current question?")
    services.faq_entry_save(
        actor=staff, entry=current, reviewed_by=clinician, reviewed_at=date(2027, 2, 1)
    )
    listed = set(selectors.faq_review_list(user=staff).values_list("slug", flat=True))
    assert overdue.slug in listed
    assert current.slug not in listed
    assert "what-is-naltrexone" in listed  # shipped content awaits the clinic's own review
    client.force_login(staff)
    page = client.get(reverse("content:faq-review-list")).content.decode()
    assert "Overdue question?" in page
    assert "Current question?" not in page


# --- Pages --------------------------------------------------------------------------------------


def test_the_public_help_page_lists_questions_by_section_with_anchors(client, db) -> None:
    page = client.get(reverse("content:faq-public")).content.decode()
    assert '<h2 id="about">About naltrexone</h2>' in page
    assert 'href="#about"' in page
    assert 'id="missed-dose"' in page
    assert "What should I do if I miss a dose?" in page
    # Supervisors' guidance has its own page.
    assert "What should I watch for?" not in page
    assert reverse("content:faq-supervisors-public") in page


def test_the_public_supervisors_page_has_the_supervisors_section(client, db) -> None:
    page = client.get(reverse("content:faq-supervisors-public")).content.decode()
    for question in (
        "What should I watch for?",
        "How do I confirm a dose?",
        "What do supervisors need to know about naloxone?",
        "How do I tell the clinic I am worried?",
        "Supervising: what to do and what not to do",
    ):
        assert question in page
    assert "What is naltrexone?" not in page


def test_search_works_without_javascript(client, db) -> None:
    page = client.get(reverse("content:faq-public"), {"q": "surgery"}).content.decode()
    assert "What about pain relief, dental work and surgery?" in page
    assert "Is naltrexone a new medicine?" not in page
    nothing = client.get(reverse("content:faq-public"), {"q": "zzzzqqq"}).content.decode()
    assert "No questions match your search" in nothing


def test_a_search_that_is_too_long_is_answered_not_crashed(client, db) -> None:
    response = client.get(reverse("content:faq-public"), {"q": "x" * 500})
    assert response.status_code == 200
    assert "Ensure this value has at most 100 characters" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "sees_supervisors"),
    [("patient", False), ("supervisor", True), ("clinician", True), ("staff", True)],
)
def test_each_role_reads_the_help_in_their_portal(request, client, persona, sees_supervisors):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("content:faq-portal")).content.decode()
    assert "What is naltrexone?" in page
    assert ("How do I confirm a dose?" in page) is sees_supervisors
    assert 'aria-current="page"' in page  # the role's navigation marks "Help and information"


def test_drafts_are_not_shown(client, make_entry) -> None:
    make_entry(question="A draft question?", status=EntryStatus.DRAFT)
    assert "A draft question?" not in client.get(reverse("content:faq-public")).content.decode()


def test_a_translation_replaces_the_english_entry_for_its_readers(make_entry, client, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
    make_entry(slug="missed-dose", language="cy", question="Beth os ydw i'n colli dos?")
    from django.utils import translation

    with translation.override("cy"):
        sections = selectors.faq_sections(audiences=["everyone"])
    questions = [item.question for section in sections for item in section.items]
    assert "Beth os ydw i'n colli dos?" in questions
    assert "What should I do if I miss a dose?" not in questions
    assert "What is naltrexone?" in questions  # English until translated


# --- Sanitisation -------------------------------------------------------------------------------

HOSTILE = (
    "Hello <script>alert('x')</script> there.\n\n"
    "[click](javascript:alert(1)) [also](JaVaScRiPt:alert(2)) "
    '<a href="javascript:alert(3)">raw</a> <img src="x" onerror="alert(4)"> '
    '<iframe src="https://example.org"></iframe> [safe](https://example.org/help)'
)


@pytest.mark.parametrize("url_name", ["content:faq-public", "content:faq-portal"])
def test_no_script_or_javascript_link_reaches_a_page(client, make_entry, patient, url_name) -> None:
    make_entry(question="Hostile answer?", answer=HOSTILE)
    client.force_login(patient)
    page = client.get(reverse(url_name)).content.decode()
    assert "Hostile answer?" in page
    lowered = page.lower()
    assert "<script>alert" not in lowered
    assert "javascript:" not in lowered
    assert "onerror" not in lowered
    assert "<iframe" not in lowered
    assert '<a href="https://example.org/help" rel="noopener noreferrer">safe</a>' in page


# --- Queries ------------------------------------------------------------------------------------


def test_the_help_page_queries_do_not_grow_with_entries(
    client, make_entry, patient, django_assert_num_queries
) -> None:
    client.force_login(patient)
    url = reverse("content:faq-portal")
    client.get(url)  # the first request starts the session's idle timer
    for total in (2, 10):
        while FaqEntry.objects.filter(slug__startswith="test-entry-").count() < total:
            make_entry()
        # Rendered help is kept by content version: a fresh cache renders it again.
        cache.delete(FAQ_VERSION_KEY)
        # session, user, published entries with their sections, unread notifications (header);
        # the clinic settings are kept by the process, the idle timer writes at most once a minute
        with django_assert_num_queries(4):
            response = client.get(url)
        assert response.status_code == 200
        # and read from the cache the second time: session, user, unread notifications
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200


def test_the_public_help_page_queries_do_not_grow_with_entries(
    client, make_entry, django_assert_num_queries
) -> None:
    for total in (2, 10):
        while FaqEntry.objects.filter(slug__startswith="test-entry-").count() < total:
            make_entry()
        client.get(reverse("content:faq-public"))  # the process reads the clinic settings
        cache.delete(FAQ_VERSION_KEY)
        # published entries with their sections (clinic settings are kept by the process)
        with django_assert_num_queries(1):
            client.get(reverse("content:faq-public"))
        with django_assert_num_queries(0):
            client.get(reverse("content:faq-public"))


@pytest.mark.django_db
def test_help_promises_nothing_the_portal_does_not_do() -> None:
    """Reminders come with the dosing part: until then no answer may say the portal sends them
    (issue 12). The supervision answer is worded to hold either way."""
    entry = FaqEntry.objects.get(slug="supervision-in-the-portal", language="en-gb")
    assert "reminds you" not in entry.answer
    assert entry.version == 2
    assert entry.versions.count() == 2
    assert not FaqEntry.objects.filter(answer__icontains="portal reminds").exists()
