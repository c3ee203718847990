"""Writes of education content: safety messages and their acknowledgement, FAQ entries and
categories (staff, through the admin), and the issue of alert cards.

Each service checks permission, runs in a transaction and writes an audit event.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import access
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.content.models import (
    AlertCardIssue,
    Audience,
    CardFormat,
    EntryStatus,
    FaqCategory,
    FaqEntry,
    FaqEntryVersion,
    SafetyAcknowledgement,
    SafetyMessageVersion,
)
from apps.core.exceptions import ServiceError

# A reviewed entry is looked at again within a year unless the reviewer sets an earlier date.
DEFAULT_REVIEW_INTERVAL = timedelta(days=365)
SAFETY_MESSAGE_COUNT = 5
REVIEWER_ROLES = {access.Role.CLINICIAN, access.Role.STAFF}


# --- Safety messages ----------------------------------------------------------------------------


@transaction.atomic
def safety_acknowledge(*, actor: User, version: SafetyMessageVersion) -> SafetyAcknowledgement:
    """A patient acknowledges a published version of the safety messages, once."""
    access.ensure(actor.role == access.Role.PATIENT)
    if not version.is_published:
        raise ServiceError(_("These safety messages are not published."))
    try:
        with transaction.atomic():
            ack = SafetyAcknowledgement.objects.create(patient=actor, version=version)
    except IntegrityError:
        return SafetyAcknowledgement.objects.get(patient=actor, version=version)
    audit_record(
        actor=actor,
        action="content.safety_acknowledged",
        target=ack,
        patient=actor,
        detail={"version": version.version},
    )
    return ack


@transaction.atomic
def safety_version_publish(
    *, actor: User, version: str, messages: list[dict[str, str]], language: str = "en-gb"
) -> SafetyMessageVersion:
    """Staff publish a new wording of the five safety messages. It becomes current at once, and
    every patient is asked to acknowledge it at their next sign-in."""
    access.ensure(actor.role == access.Role.STAFF)
    version = version.strip()
    if not version:
        raise ServiceError(_("Give the new version a name, such as 2."), field="version")
    if SafetyMessageVersion.objects.filter(version=version).exists():
        raise ServiceError(_("There is already a version with this name."), field="version")
    if len(messages) != SAFETY_MESSAGE_COUNT:
        raise ServiceError(_("There must be exactly five safety messages."))
    cleaned = []
    for number, message in enumerate(messages, start=1):
        title = (message.get("title") or "").strip()
        body = (message.get("body") or "").strip()
        if not title or not body:
            raise ServiceError(
                _("Message %(number)s needs a title and a text.") % {"number": number},
                field=f"title_{number}",
            )
        cleaned.append(
            {"key": message.get("key") or f"message_{number}", "title": title, "body": body}
        )
    row = SafetyMessageVersion.objects.create(
        version=version,
        language=language,
        messages=cleaned,
        is_published=True,
        published_at=timezone.now(),
    )
    audit_record(
        actor=actor, action="content.safety_published", target=row, detail={"version": version}
    )
    return row


# --- FAQ ----------------------------------------------------------------------------------------

CATEGORY_FIELDS = {"slug", "language", "title", "audience", "order"}
ENTRY_FIELDS = {
    "slug",
    "language",
    "category",
    "question",
    "answer",
    "sources",
    "order",
    "audience",
    "status",
    "reviewed_by",
    "reviewed_at",
    "next_review_due",
}
# A change to any of these is a new published wording, kept as a version.
WORDING_FIELDS = ("question", "answer", "sources", "category_id", "audience")


@transaction.atomic
def faq_category_save(*, actor: User, category: FaqCategory | None, **changes: Any) -> FaqCategory:
    """Staff create or change an FAQ heading."""
    access.ensure(actor.role == access.Role.STAFF)
    unknown = changes.keys() - CATEGORY_FIELDS
    if unknown:
        raise ValueError(f"Unknown category fields: {sorted(unknown)}")
    created = category is None
    row = (
        FaqCategory()
        if category is None
        else FaqCategory.objects.select_for_update().get(pk=category.pk)
    )
    for name, value in changes.items():
        setattr(row, name, value)
    if FaqCategory.objects.filter(slug=row.slug, language=row.language).exclude(pk=row.pk).exists():
        raise ServiceError(_("Another heading already uses this anchor."), field="slug")
    row.save()
    audit_record(
        actor=actor,
        action="content.faq_category_created" if created else "content.faq_category_changed",
        target=row,
    )
    return row


def faq_entry_check(row: FaqEntry) -> None:
    """The rules an entry must meet before it is saved (also run by the admin form, so a refusal
    shows next to its field)."""
    if not row.question.strip():
        raise ServiceError(_("Write the question."), field="question")
    if not row.answer.strip():
        raise ServiceError(_("Write the answer."), field="answer")
    if row.audience not in Audience.values:
        raise ServiceError(_("Choose who the entry is for."), field="audience")
    if row.status not in EntryStatus.values:
        raise ServiceError(_("Choose draft or published."), field="status")
    if row.reviewed_by is not None and row.reviewed_by.role not in REVIEWER_ROLES:
        raise ServiceError(
            _("A reviewer must be a clinician or clinic staff."), field="reviewed_by"
        )
    if row.reviewed_by is not None and row.reviewed_at is None:
        raise ServiceError(_("Enter the date of the review."), field="reviewed_at")
    if row.reviewed_at is not None and row.reviewed_at > timezone.localdate():
        raise ServiceError(_("The review date cannot be in the future."), field="reviewed_at")
    if (
        row.reviewed_at is not None
        and row.next_review_due is not None
        and row.next_review_due < row.reviewed_at
    ):
        raise ServiceError(
            _("The next review must be on or after the last review."), field="next_review_due"
        )
    clash = FaqEntry.objects.filter(slug=row.slug, language=row.language).exclude(pk=row.pk)
    if clash.exists():
        raise ServiceError(_("Another entry already uses this anchor."), field="slug")


@transaction.atomic
def faq_entry_save(*, actor: User, entry: FaqEntry | None, **changes: Any) -> FaqEntry:
    """Staff create or change an FAQ entry. Each published wording is kept as a numbered version,
    so what patients were told on any date can be shown later."""
    access.ensure(actor.role == access.Role.STAFF)
    unknown = changes.keys() - ENTRY_FIELDS
    if unknown:
        raise ValueError(f"Unknown entry fields: {sorted(unknown)}")
    created = entry is None
    row = FaqEntry() if entry is None else FaqEntry.objects.select_for_update().get(pk=entry.pk)
    before = None if created else {name: getattr(row, name) for name in WORDING_FIELDS}
    was_published = row.status == EntryStatus.PUBLISHED
    for name, value in changes.items():
        setattr(row, name, value)
    if row.reviewed_at is not None and row.next_review_due is None:
        row.next_review_due = row.reviewed_at + DEFAULT_REVIEW_INTERVAL
    faq_entry_check(row)
    wording_changed = before is None or any(
        getattr(row, name) != old for name, old in before.items()
    )
    publishing = row.status == EntryStatus.PUBLISHED and (not was_published or wording_changed)
    published_at = timezone.now()
    if publishing:
        row.version += 1
        row.published_at = published_at
    row.save()
    if publishing:
        FaqEntryVersion.objects.create(
            entry=row,
            version=row.version,
            question=row.question,
            answer=row.answer,
            sources=row.sources,
            category_slug=row.category.slug,
            audience=row.audience,
            published_at=published_at,
            published_by=actor,
            reviewed_by=row.reviewed_by,
            reviewed_at=row.reviewed_at,
        )
    audit_record(
        actor=actor,
        action=(
            "content.faq_entry_published"
            if publishing
            else "content.faq_entry_created"
            if created
            else "content.faq_entry_changed"
        ),
        target=row,
        detail={"status": row.status, "version": row.version},
    )
    return row


# --- Alert card ---------------------------------------------------------------------------------


@transaction.atomic
def alert_card_issue(*, actor: User, patient: User, card_format: CardFormat) -> AlertCardIssue:
    """Record that a patient's alert card was opened for printing or downloaded. The patient may
    issue their own card; their responsible clinician may issue it for them; nobody else."""
    access.ensure(
        (actor.pk == patient.pk and actor.role == access.Role.PATIENT)
        or access.can_manage_patient(actor, patient.pk)
    )
    issue = AlertCardIssue.objects.create(patient=patient, issued_by=actor, format=card_format)
    audit_record(
        actor=actor,
        action="content.alert_card_issued",
        target=issue,
        patient=patient,
        detail={"format": str(card_format)},
    )
    return issue
