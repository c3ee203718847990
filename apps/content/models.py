"""Education content.

- The safety messages (DOMAIN.md section 6) are versioned: a patient acknowledges a version, and a
  newly published version asks everyone to acknowledge again.
- FAQ entries are governed content: reviewed by a named person, due for review on a date, and
  every published wording is kept (`FaqEntryVersion`).
- Each issue of a patient's alert card is recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel


class SafetyMessageVersion(BaseModel):
    """One published wording of the five safety messages. Never edited once published: staff
    publish a new version instead."""

    version = models.CharField(max_length=20, unique=True)
    language = models.CharField(max_length=10, default="en-gb")
    # An ordered list of {"key": ..., "title": ..., "body": ...} (plain text), one per message.
    messages = models.JSONField()
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="safety_version_published_has_time",
            ),
        ]
        ordering = ("-published_at",)

    def __str__(self) -> str:
        return f"Safety messages {self.version}"


class SafetyAcknowledgement(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safety_acknowledgements"
    )
    version = models.ForeignKey(
        SafetyMessageVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("patient", "version"), name="safety_ack_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Safety messages acknowledged by {self.patient}"


# --- FAQ ----------------------------------------------------------------------------------------


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    SUPERVISORS = "supervisors", _("Supervisors")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FaqCategory(BaseModel):
    """A heading on the help pages. The slug is the page anchor."""

    slug = models.SlugField(max_length=60)
    language = models.CharField(_("language"), max_length=10, default="en-gb")
    title = models.CharField(_("title"), max_length=120)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=("slug", "language"), name="faq_category_slug_lang"),
            models.CheckConstraint(
                condition=Q(audience__in=[a.value for a in Audience]),
                name="faq_category_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FaqEntry(BaseModel):
    """One question and its answer (Markdown; shown as sanitised HTML). Edited only through
    `services.faq_entry_save`, which keeps a copy of every published wording."""

    slug = models.SlugField(max_length=80, help_text=_("The page anchor, e.g. missed-dose."))
    language = models.CharField(_("language"), max_length=10, default="en-gb")
    category = models.ForeignKey(FaqCategory, on_delete=models.PROTECT, related_name="entries")
    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("answer"), help_text=_("Markdown. Links, lists and bold text."))
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Guidelines behind the answer, one per line.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("published version"), default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clinically reviewed by"),
    )
    reviewed_at = models.DateField(_("reviewed on"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ("category__order", "order", "pk")
        constraints = [
            models.UniqueConstraint(fields=("slug", "language"), name="faq_entry_slug_lang"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in EntryStatus]),
                name="faq_entry_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=[a.value for a in Audience]),
                name="faq_entry_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False, version__gte=1),
                name="faq_entry_published_has_version",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True)
                | Q(next_review_due__isnull=True)
                | Q(next_review_due__gte=models.F("reviewed_at")),
                name="faq_entry_review_due_after_review",
            ),
        ]

    def __str__(self) -> str:
        return self.question


class FaqEntryVersion(models.Model):
    """A published wording of an entry, kept when it changes (append-only)."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    question = models.CharField(max_length=200)
    answer = models.TextField()
    sources = models.TextField(blank=True)
    category_slug = models.SlugField(max_length=60)
    audience = models.CharField(max_length=20)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("FAQ entry version")
        ordering = ("entry", "-version")
        constraints = [
            models.UniqueConstraint(fields=("entry", "version"), name="faq_version_once"),
        ]

    def __str__(self) -> str:
        return f"FAQ entry {self.entry_id} v{self.version}"


# --- Alert card ---------------------------------------------------------------------------------


class CardFormat(models.TextChoices):
    PAGE = "page", _("Printable page")
    PDF = "pdf", _("PDF")


class AlertCardIssue(models.Model):
    """Each time a patient's alert card is opened for printing or downloaded: who, when, how."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alert_cards"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    format = models.CharField(max_length=10, choices=CardFormat.choices)

    class Meta:
        ordering = ("-issued_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=[f.value for f in CardFormat]), name="alert_card_format"
            ),
        ]

    def __str__(self) -> str:
        return f"Alert card of {self.patient}"
