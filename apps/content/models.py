"""Education content. The safety messages (DOMAIN.md section 6) are versioned: a patient
acknowledges a version, and a newly published version asks everyone to acknowledge again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

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
        return f"Safety acknowledgement #{self.pk}"
