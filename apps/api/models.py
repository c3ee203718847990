"""The API's own rows: the first answer to each POST sent with an `Idempotency-Key`, so an app on
a bad connection can send the same request again and get the same answer, with nothing done twice."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from apps.core.models import BaseModel


class IdempotentRequest(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("user", "key"), name="idempotency_one_per_user_key"),
            models.CheckConstraint(
                condition=Q(status_code__isnull=True) | Q(status_code__lt=500),
                name="idempotency_no_server_errors",
            ),
        ]

    def __str__(self) -> str:
        return f"Idempotent request #{self.pk}"
