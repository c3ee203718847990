"""Staff work on content in the admin; every save goes through the services."""

from __future__ import annotations

from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.content.models import FaqEntry
from tests.content.conftest import current_version


def entry_form(entry: FaqEntry, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "question": entry.question,
        "slug": entry.slug,
        "category": entry.category_id,
        "answer": entry.answer,
        "sources": entry.sources,
        "audience": entry.audience,
        "language": entry.language,
        "order": entry.order,
        "status": entry.status,
        "reviewed_by": "",
        "reviewed_at": "",
        "next_review_due": "",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_staff_edit_an_entry_in_the_admin_and_the_old_wording_is_kept(client, staff, clinician):
    entry = FaqEntry.objects.get(slug="missed-dose")
    client.force_login(staff)
    url = reverse("admin:content_faqentry_change", args=[entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        entry_form(
            entry,
            answer=entry.answer + "\n\nAsk your supervisor to help you remember.",
            reviewed_by=clinician.pk,
            reviewed_at="2026-11-20",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.version == 2
    assert entry.reviewed_by == clinician
    assert str(entry.next_review_due) == "2027-11-20"
    assert list(entry.versions.values_list("version", flat=True)) == [2, 1]
    assert "Ask your supervisor" not in entry.versions.get(version=1).answer
    assert AuditEvent.objects.filter(
        action="content.faq_entry_published", actor=staff, target_id=str(entry.pk)
    ).exists()


def test_staff_publish_new_safety_messages_in_the_admin(client, staff) -> None:
    client.force_login(staff)
    url = reverse("admin:content_safetymessageversion_add")
    page = client.get(url)
    assert page.status_code == 200
    current = current_version()
    data = {"version": "3"}
    for number, message in enumerate(current.messages, start=1):
        data[f"key_{number}"] = message["key"]
        data[f"title_{number}"] = message["title"]
        data[f"body_{number}"] = message["body"] + " Updated."
    response = client.post(url, data)
    assert response.status_code == 302
    assert current_version().version == "3"
    assert AuditEvent.objects.filter(action="content.safety_published", actor=staff).exists()


def test_a_missing_message_is_explained_next_to_the_field(client, staff) -> None:
    client.force_login(staff)
    response = client.post(reverse("admin:content_safetymessageversion_add"), {"version": "3"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert current_version().version == "2"


def test_published_safety_messages_cannot_be_edited(client, staff) -> None:
    client.force_login(staff)
    version = current_version()
    url = reverse("admin:content_safetymessageversion_change", args=[version.pk])
    response = client.post(url, {"version": "1b"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.version == "2"


def test_clinicians_cannot_reach_the_content_admin(client, clinician) -> None:
    client.force_login(clinician)
    response = client.get(reverse("admin:content_faqentry_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_refused_edit_is_explained_next_to_the_field_and_changes_nothing(client, staff, patient):
    entry = FaqEntry.objects.get(slug="missed-dose")
    client.force_login(staff)
    url = reverse("admin:content_faqentry_change", args=[entry.pk])
    response = client.post(url, entry_form(entry, answer="Changed.", reviewed_at="2099-01-01"))
    assert response.status_code == 200
    assert "The review date cannot be in the future." in response.content.decode()
    entry.refresh_from_db()
    assert (entry.version, entry.answer.startswith("If you have not used")) == (1, True)
