"""The notification outbox.

- `Notification`: one row per (event, recipient). The unique key makes the same event notify the
  same person once, however often the caller's code runs. It is also the in-app inbox entry.
  Invitations go to people without an account yet: those rows have an address and no user.
- `Delivery`: one row per outside channel (e-mail, SMS) of a notification. Tasks claim a
  delivery, send it and mark it sent; the sweep re-queues deliveries left behind.
- `NotificationPreference`: channels, quiet hours and the opt-in to details, per user.

Rows hold ids and codes only: the words of a message are rendered from templates at send time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class Notification(BaseModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    # Only for people without an account yet (invitations); users are reached through their row.
    to_address = models.EmailField(blank=True)
    # "u:<user id>" or "e:<lower-case address>": one column for the unique key either way.
    recipient_key = models.CharField(max_length=260, editable=False)
    kind = models.CharField(max_length=40)
    event_key = models.CharField(max_length=120)
    # Ids of the objects the message is about ({"patient": 3}); never text.
    context_ids = models.JSONField(default=dict, blank=True)
    is_urgent = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "event_key", "recipient_key"), name="notification_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(to_address=""),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(
                fields=("recipient", "-created_at"),
                name="notification_inbox",
            ),
            models.Index(
                fields=("recipient",),
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification #{self.pk} ({self.kind})"


class Delivery(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not needed any more")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The error's type and transport code only (for example "SMTPServerDisconnected"), never text.
    last_error = models.CharField(max_length=120, blank=True)
    # Not before this time: quiet hours and retry back-off.
    not_before = models.DateTimeField()
    # When a task was last put on the queue for it; the sweep re-queues after a while.
    queued_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed it; a claim older than the stale limit is a crashed worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The claiming task's id: a task retried after a database error takes its own claim back
    # (nothing was sent), while any other task leaves it alone.
    claim_token = models.CharField(max_length=64, blank=True, editable=False)
    # The first attempt: transport errors are retried until NOTIFICATIONS_RETRY_FOR_SECONDS
    # after it.
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    # Claims the sweep took back from a worker that died: a message that kills the worker every
    # time fails after NOTIFICATIONS_MAX_TAKEBACKS instead of looping for ever.
    takebacks = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("notification", "channel"), name="delivery_once_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed", "cancelled"]),
                name="delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=("status", "not_before"),
                condition=Q(status__in=["pending", "sending"]),
                name="delivery_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery #{self.pk} ({self.channel}, {self.status})"


class Heartbeat(models.Model):
    """When a periodic job last ran (the sweep, started only by beat): the operators' health
    endpoint reads it to tell whether beat and the workers are alive."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Heartbeat {self.name}"


class NotificationPreference(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(_("send me e-mails"), default=True)
    sms_enabled = models.BooleanField(_("send me text messages"), default=False)
    sms_number = models.CharField(_("mobile number for text messages"), max_length=20, blank=True)
    quiet_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    include_details = models.BooleanField(_("include details in e-mails"), default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="preference_quiet_hours_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(sms_enabled=False) | ~Q(sms_number=""),
                name="preference_sms_needs_number",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification preferences of user #{self.pk}"
