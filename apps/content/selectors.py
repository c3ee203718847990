"""Reads of education content: safety messages, the FAQ, and alert cards."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from apps.accounts import access
from apps.accounts.models import User
from apps.content.models import (
    AlertCardIssue,
    Audience,
    EntryStatus,
    FaqCategory,
    FaqEntry,
    SafetyAcknowledgement,
    SafetyMessageVersion,
)
from apps.content.rendering import render_markdown, sources_list

# --- Safety messages ----------------------------------------------------------------------------


def safety_version_current() -> SafetyMessageVersion | None:
    """The most recently published safety messages, or None before any is published."""
    return (
        SafetyMessageVersion.objects.filter(is_published=True)
        .order_by("-published_at", "-pk")
        .first()
    )


def has_acknowledged_current_safety(*, patient_id: int) -> bool:
    """True when the patient has acknowledged the current version of the safety messages.
    The first dose cannot be recorded until this holds (DOMAIN.md section 2, informed consent)."""
    current = safety_version_current()
    if current is None:
        return False
    return SafetyAcknowledgement.objects.filter(patient_id=patient_id, version=current).exists()


@dataclass(frozen=True)
class SafetyStatus:
    version: SafetyMessageVersion
    acknowledged: bool
    has_earlier_acknowledgement: bool


def safety_status_for(*, patient_id: int) -> SafetyStatus | None:
    """The current version and whether this patient has acknowledged it (one query). None before
    any version is published."""
    own = SafetyAcknowledgement.objects.filter(patient_id=patient_id)
    current = (
        SafetyMessageVersion.objects.filter(is_published=True)
        .annotate(
            acked=Exists(own.filter(version=OuterRef("pk"))),
            acked_before=Exists(own.exclude(version=OuterRef("pk"))),
        )
        .order_by("-published_at", "-pk")
        .first()
    )
    if current is None:
        return None
    return SafetyStatus(
        version=current,
        acknowledged=bool(current.acked),
        has_earlier_acknowledgement=bool(current.acked_before),
    )


def safety_acknowledgement_list_for(*, user: User) -> QuerySet[SafetyAcknowledgement]:
    """A patient's own acknowledgements, newest first."""
    return SafetyAcknowledgement.objects.filter(patient_id=user.pk).select_related("version")


# --- FAQ ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaqItem:
    slug: str
    question: str
    answer_html: str
    sources: list[str]
    reviewed_at: date | None


@dataclass
class FaqSection:
    slug: str
    title: str
    audience: str
    items: list[FaqItem] = field(default_factory=list)


def _languages() -> list[str]:
    current = (get_language() or settings.LANGUAGE_CODE).lower()
    return list(dict.fromkeys([current, settings.LANGUAGE_CODE.lower()]))


def faq_sections(*, audiences: list[str], query: str = "") -> list[FaqSection]:
    """Published entries for these audiences, by heading, in the reader's language (English where
    no translation exists yet). `query` keeps only entries whose question or answer mentions every
    word of it. One query, however many entries."""
    languages = _languages()
    entries = (
        FaqEntry.objects.filter(
            status=EntryStatus.PUBLISHED,
            audience__in=audiences,
            language__in=languages,
        )
        .select_related("category")
        .only(
            "slug",
            "language",
            "question",
            "answer",
            "sources",
            "reviewed_at",
            "audience",
            "category__slug",
            "category__title",
            "category__audience",
        )
        .order_by("category__order", "category_id", "order", "pk")
    )
    for word in query.split()[:8]:
        entries = entries.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    rows = list(entries)
    # The reader's language wins over the fallback for the same anchor.
    preferred = {
        row.slug: row
        for row in sorted(rows, key=lambda r: languages.index(r.language), reverse=True)
    }
    sections: dict[str, FaqSection] = {}
    for row in rows:
        if preferred[row.slug] is not row:
            continue
        category = row.category
        section = sections.setdefault(
            category.slug,
            FaqSection(slug=category.slug, title=category.title, audience=category.audience),
        )
        section.items.append(
            FaqItem(
                slug=row.slug,
                question=row.question,
                answer_html=render_markdown(row.answer),
                sources=sources_list(row.sources),
                reviewed_at=row.reviewed_at,
            )
        )
    return list(sections.values())


def faq_audiences_for(user: User | None) -> list[str]:
    """Who reads what: supervisors' guidance is for supervisors and the care team; everyone reads
    the general questions."""
    if user is None or user.role == access.Role.PATIENT:
        return [Audience.EVERYONE]
    return [Audience.SUPERVISORS, Audience.EVERYONE]


def faq_review_list(*, user: User, today: date | None = None) -> QuerySet[FaqEntry]:
    """Staff: entries never reviewed or past their review date, most overdue first."""
    access.ensure(user.role == access.Role.STAFF)
    today = today or timezone.localdate()
    return (
        FaqEntry.objects.filter(
            Q(next_review_due__lt=today) | Q(reviewed_at__isnull=True) | Q(next_review_due=None)
        )
        .select_related("category", "reviewed_by")
        .order_by("next_review_due", "category__order", "order", "pk")
    )


def faq_category_list() -> QuerySet[FaqCategory]:
    return FaqCategory.objects.all()


# --- Alert card ---------------------------------------------------------------------------------


def card_patient_get_for(*, user: User, pk: int) -> User:
    """The patient whose card this user may open: themselves, or a patient on the clinician's
    caseload. Anyone else's card does not exist for them (404)."""
    if user.role == access.Role.PATIENT:
        if user.pk != pk:
            raise Http404
        return user
    if user.role == access.Role.CLINICIAN:
        patient = (
            access.patients_visible_to(user).filter(pk=pk).select_related("patient_profile").first()
        )
        if patient is None:
            raise Http404
        return patient
    raise Http404


def alert_card_last_issue(*, patient_id: int) -> datetime | None:
    issue = AlertCardIssue.objects.filter(patient_id=patient_id).order_by("-issued_at").first()
    return issue.issued_at if issue else None


# --- Rendered help, kept by content version ------------------------------------------------------
# Help content is the same for everyone who may read it (the key names the audiences and the
# language), so its rendered HTML is kept in the shared cache under a version that every change
# to an entry or a heading replaces once it commits.

FAQ_VERSION_KEY = "content:faq-version"
FAQ_HTML_SECONDS = 24 * 60 * 60


def faq_version() -> str:
    version = cache.get(FAQ_VERSION_KEY)
    if version is None:
        cache.add(FAQ_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(FAQ_VERSION_KEY)
    return str(version)


def faq_changed() -> None:
    """Every process renders help again once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(FAQ_VERSION_KEY, uuid.uuid4().hex, timeout=None))


def faq_sections_html(*, audiences: list[str], query: str = "") -> tuple[SafeString, int]:
    """The help sections as HTML and how many there are. Without a search, from the cache."""
    if query:
        sections = faq_sections(audiences=audiences, query=query)
        html = render_to_string("content/_faq_sections.html", {"sections": sections})
        # nosec B308 B703 - rendered by our own template, which escapes
        return mark_safe(html), len(sections)  # noqa: S308  # nosec B308 B703
    key = "content:faq-html:{}:{}:{}".format(
        faq_version(), ",".join(_languages()), ",".join(sorted(audiences))
    )
    kept = cache.get(key)
    if kept is None:
        sections = faq_sections(audiences=audiences)
        kept = (
            render_to_string("content/_faq_sections.html", {"sections": sections}),
            len(sections),
        )
        cache.set(key, kept, timeout=FAQ_HTML_SECONDS)
    html, count = kept
    # rendered by our own template, which escapes
    return mark_safe(html), int(count)  # noqa: S308  # nosec B308 B703


# --- Export -------------------------------------------------------------------------------------


def content_export(*, patient: User) -> dict[str, list[dict[str, Any]]]:
    """The patient's safety acknowledgements and alert card issues, for their own download."""
    return {
        "safety_acknowledgements": [
            dict(row)
            for row in SafetyAcknowledgement.objects.filter(patient=patient)
            .order_by("acknowledged_at", "pk")
            .values("version__version", "acknowledged_at")
        ],
        "alert_card_issues": [
            dict(row)
            for row in AlertCardIssue.objects.filter(patient=patient)
            .order_by("issued_at", "pk")
            .values("issued_at", "format")
        ],
    }
