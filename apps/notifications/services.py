"""Every write about notifications: queueing (called by other apps' services inside their own
transaction), sending and re-queueing (called by tasks), marking read, preferences, and the
staff retry of failed deliveries.

Delivery is at least once (a task, or failing that the sweep, re-queues every delivery until it
is marked sent) and the effect is once: the unique key allows one notification per event and
recipient, one delivery per channel, and a worker sends a delivery only after claiming it with a
conditional UPDATE that exactly one worker can win.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import datetime, timedelta
from datetime import time as Time  # noqa: N812 - `time` is the module used for sleeping

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.services import audit_record
from apps.core.exceptions import ServiceError
from apps.notifications import channels
from apps.notifications.kinds import kind_get
from apps.notifications.models import (
    Channel,
    Delivery,
    Heartbeat,
    Notification,
    NotificationPreference,
)
from apps.notifications.quiet import quiet_hours_end
from apps.notifications.rendering import message_render

logger = logging.getLogger(__name__)

ContextIds = dict[str, int | str]
_CONTEXT_VALUE = re.compile(r"^[\w.:-]{1,64}$")


def _queue(delivery_id: int, *, countdown: int = 0) -> None:
    """Put a send task on the queue once the surrounding transaction has committed. If the
    broker cannot be reached the row is already saved and the sweep queues it later: the person
    whose action caused the notification must not see an error for it."""
    from apps.notifications.tasks import send_delivery

    def send() -> None:
        try:
            if countdown:
                send_delivery.apply_async((delivery_id,), countdown=countdown)
            else:
                send_delivery.delay(delivery_id)
        except Exception:  # the broker is down or unreachable: the sweep will find the row
            logger.warning("Delivery %s could not be queued now; the sweep will.", delivery_id)

    transaction.on_commit(send)


def preference_for(user: User) -> NotificationPreference:
    """The user's saved preferences, or the defaults (e-mail on, SMS off, no quiet hours)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found if found is not None else NotificationPreference(user=user)


# --- Queueing -----------------------------------------------------------------------------------


@transaction.atomic
def notification_queue(
    *,
    recipient: User | None = None,
    to_address: str = "",
    kind: str,
    event_key: str,
    context_ids: ContextIds | None = None,
    urgent: bool = False,
    now: datetime | None = None,
) -> Notification:
    """Record that `recipient` (or, for someone without an account, `to_address`) should hear
    about an event, once. Call it inside the transaction that records the event: if that rolls
    back, nothing is sent. Calling it again for the same kind, event and person changes nothing.
    `context_ids` holds ids and codes only, never text. `urgent` is honoured only for kinds that
    allow it and only for clinicians; it skips quiet hours."""
    spec = kind_get(kind)
    context_ids = dict(context_ids or {})
    for key, value in context_ids.items():
        if not isinstance(value, int | str) or not _CONTEXT_VALUE.match(str(value)):
            raise ValueError(f"context_ids[{key!r}] must be an id or a short code.")
    if not _CONTEXT_VALUE.match(event_key):
        raise ValueError("event_key must be a short code such as 'dose:123'.")
    if (recipient is None) == (not to_address):
        raise ValueError("Give either a recipient or an address, not both.")
    if recipient is not None:
        recipient_key = f"u:{recipient.pk}"
    else:
        to_address = to_address.strip().lower()
        recipient_key = f"e:{to_address}"
    existing = Notification.objects.filter(
        kind=kind, event_key=event_key, recipient_key=recipient_key
    ).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    is_urgent = (
        urgent and spec.allow_urgent and recipient is not None and recipient.role == Role.CLINICIAN
    )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                to_address=to_address,
                recipient_key=recipient_key,
                kind=kind,
                event_key=event_key,
                context_ids=context_ids,
                is_urgent=is_urgent,
            )
    except IntegrityError:
        # Another transaction recorded the same event for the same person first.
        return Notification.objects.get(kind=kind, event_key=event_key, recipient_key=recipient_key)

    targets: list[str] = []
    not_before = now
    if recipient is None:
        targets = [Channel.EMAIL]
    elif recipient.is_active:  # a closed account gets nothing outside the portal
        pref = preference_for(recipient)
        if pref.email_enabled and recipient.email and Channel.EMAIL in spec.channels:
            targets.append(Channel.EMAIL)
        if pref.sms_enabled and pref.sms_number and Channel.SMS in spec.channels:
            targets.append(Channel.SMS)
        if not is_urgent:
            # Not dropped: held until the quiet hours end.
            not_before = quiet_hours_end(
                start=pref.quiet_start, end=pref.quiet_end, zone_name=recipient.time_zone, now=now
            )
    due = not_before <= now
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                notification=notification,
                channel=channel,
                not_before=not_before,
                queued_at=now if due else None,
            )
            for channel in targets
        ]
    )
    audit_record(
        actor=None,
        action="notifications.queued",
        target=notification,
        patient=recipient if recipient is not None and recipient.role == Role.PATIENT else None,
        detail={"channels": ",".join(targets), "held": not due},
    )
    if due:
        for delivery in deliveries:
            _queue(delivery.pk)
    return notification


# --- Sending (tasks) ----------------------------------------------------------------------------

# Database errors that a short wait may cure (a restart, a fail-over, a dropped connection).
DB_TRANSIENT = (OperationalError, InterfaceError)
# Waits before each new try of the status update after a message was accepted (about 15 s).
_MARK_WAITS = (0.5, 1.0, 2.0, 4.0, 8.0)


def delivery_claim(*, delivery_id: int, token: str = "", now: datetime | None = None) -> bool:
    """Take a due, pending delivery for this worker. One conditional UPDATE: of any number of
    workers holding the same id, exactly one sees a row count of 1. A task retried after a
    database error (same `token`) may take back its own claim: it sent nothing."""
    now = now or timezone.now()
    mine = Q(status=Delivery.Status.SENDING, claim_token=token) if token else Q(pk__in=[])
    return (
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING, not_before__lte=now) | mine, pk=delivery_id
        ).update(
            status=Delivery.Status.SENDING,
            claimed_at=now,
            claim_token=token,
            attempts=F("attempts") + 1,
            first_attempt_at=Coalesce(F("first_attempt_at"), Value(now)),
            updated_at=now,
        )
        == 1
    )


def _backoff_seconds(attempts: int) -> int:
    base: int = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    cap: int = settings.NOTIFICATIONS_RETRY_MAX_SECONDS
    return int(min(cap, base * 2 ** max(0, min(attempts - 1, 30))))


def _error_code(exc: BaseException) -> str:
    """The error's type and SMTP code, never its message (it may quote the content)."""
    code = getattr(exc, "smtp_code", None) or getattr(exc, "errno", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:120]


def delivery_message_id(delivery: Delivery) -> str:
    """The Message-ID of every e-mail of this delivery: the same on a resend, so mail clients
    and the clinic can recognise a repeat. Ids only, never content."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "portal.invalid"
    return f"<{delivery_idempotency_key(delivery)}@{domain}>"


def delivery_idempotency_key(delivery: Delivery) -> str:
    """One key per delivery, for every attempt (SMS providers' idempotency keys)."""
    return f"portal-delivery-{delivery.pk}-{int(delivery.created_at.timestamp())}"


def delivery_send(*, delivery_id: int, token: str = "") -> str:
    """Claim, send and mark one delivery. Returns what happened: sent, skipped (someone else has
    it, or it is not due), cancelled, retry, failed. No transaction is held while sending.

    Once the server has accepted the message it is marked sent at once (before the connection is
    closed) and is never sent again, whatever fails afterwards. Database errors before that
    point propagate, so the task retries with a short back-off."""
    if not delivery_claim(delivery_id=delivery_id, token=token):
        return "skipped"
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    notification = delivery.notification
    recipient = notification.recipient
    pref = preference_for(recipient) if recipient is not None else None
    if recipient is not None and not _still_wanted(recipient, pref, delivery.channel):
        return _finish(delivery, Delivery.Status.CANCELLED)
    accepted = False

    def mark_accepted() -> None:
        nonlocal accepted
        accepted = True
        _mark_sent(delivery)

    try:
        message = message_render(
            notification, include_details=bool(pref is not None and pref.include_details)
        )
        if message is None:
            return _finish(delivery, Delivery.Status.CANCELLED)
        if delivery.channel == Channel.EMAIL:
            address = recipient.email if recipient is not None else notification.to_address
            channels.email_send(
                to=address,
                message=message,
                delivery_id=delivery.pk,
                message_id=delivery_message_id(delivery),
                on_accepted=mark_accepted,
            )
        else:
            if pref is None:  # SMS rows exist only for people with preferences
                raise RuntimeError("An SMS delivery without the recipient's preferences.")
            channels.sms_send(
                to=pref.sms_number,
                message=message,
                idempotency_key=delivery_idempotency_key(delivery),
            )
            mark_accepted()
    except Exception as exc:
        if accepted:
            # The server has it (a time limit or a database error after acceptance): record
            # "sent" if that did not happen yet, and never send it again.
            logger.warning("Delivery %s accepted; recording it after %s", delivery.pk, type(exc))
            _mark_sent(delivery)
            return "sent"
        if isinstance(exc, DB_TRANSIENT):
            raise  # nothing was sent: the task tries again shortly, taking back its own claim
        if channels.is_retryable(exc):
            return _retry_or_fail(delivery, exc)
        logger.warning("Delivery %s failed and will not be retried: %s", delivery.pk, type(exc))
        return _finish(delivery, Delivery.Status.FAILED, error=_error_code(exc))
    return "sent"


def _mark_sent(delivery: Delivery) -> None:
    """Record an accepted message, trying again through a short database outage. If the database
    stays away the row is left "sending" and the sweep sends it again after the stale-claim limit
    (with the same Message-ID): the one window in which a repeat can happen."""
    for wait in (*_MARK_WAITS, None):
        try:
            _finish(delivery, Delivery.Status.SENT)
        except DB_TRANSIENT:
            if wait is None:
                logger.error("Delivery %s was sent but could not be recorded", delivery.pk)
                return
            if not connection.in_atomic_block:
                connection.close()  # a fresh connection on the next try
            time.sleep(wait)
        else:
            return


def _still_wanted(recipient: User, pref: NotificationPreference | None, channel: str) -> bool:
    """Preferences may change, and accounts close, between queueing and sending."""
    if not recipient.is_active or pref is None:
        return False
    if channel == Channel.EMAIL:
        return pref.email_enabled
    return pref.sms_enabled and bool(pref.sms_number)


@transaction.atomic
def _finish(delivery: Delivery, status: str, *, error: str = "") -> str:
    now = timezone.now()
    fields: dict[str, object] = {"status": status, "updated_at": now, "last_error": error}
    if status == Delivery.Status.SENT:
        fields["sent_at"] = now
    # Only the claim holder finishes: the row must still be in "sending".
    updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        **fields
    )
    if updated and status == Delivery.Status.FAILED:
        _failed(delivery, error=error)
    return str(status)


def _failed(delivery: Delivery, *, error: str) -> None:
    """A delivery gave up: audit it, log it for the operators, and tell the clinic's staff."""
    logger.error("Delivery %s failed for good (%s)", delivery.pk, error)
    audit_record(
        actor=None,
        action="notifications.delivery_failed",
        target=delivery,
        detail={"channel": delivery.channel, "attempts": delivery.attempts},
    )
    if delivery.notification.kind == STAFF_ALERT_KIND:
        return  # an alert about a failed alert would loop
    now = timezone.now()
    for staff in User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk"):
        notification_queue(
            recipient=staff,
            kind=STAFF_ALERT_KIND,
            event_key=f"delivery-failed:{delivery.pk}:{int(now.timestamp())}",
            context_ids={"delivery": delivery.pk},
            now=now,
        )


STAFF_ALERT_KIND = "delivery_failed"


@transaction.atomic
def _retry_or_fail(delivery: Delivery, exc: BaseException) -> str:
    now = timezone.now()
    first = delivery.first_attempt_at or now
    window = timedelta(seconds=settings.NOTIFICATIONS_RETRY_FOR_SECONDS)
    delay = _backoff_seconds(delivery.attempts)
    if now + timedelta(seconds=delay) > first + window:
        return _finish(delivery, Delivery.Status.FAILED, error=_error_code(exc))
    updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING,
        not_before=now + timedelta(seconds=delay),
        queued_at=now,
        claim_token="",  # nosec B106 - an empty claim, not a password
        last_error=_error_code(exc),
        updated_at=now,
    )
    if updated:
        _queue(delivery.pk, countdown=delay)
    logger.warning("Delivery %s: transport error, retry in %ss", delivery.pk, delay)
    return "retry"


# --- The sweep ----------------------------------------------------------------------------------


@transaction.atomic
def deliveries_requeue(*, now: datetime | None = None) -> int:
    """Re-queue deliveries left behind: due and pending but not queued for a while (queue lost,
    Redis restarted, quiet hours over), or claimed by a worker that died. Rows are locked with
    SKIP LOCKED and stamped before commit, so two sweeps at once never queue the same row.
    A claim taken back counts: after NOTIFICATIONS_MAX_TAKEBACKS the delivery fails (a message
    that kills the worker every time must not loop for ever)."""
    now = now or timezone.now()
    requeue_after = timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS)
    stale_after = timedelta(seconds=settings.NOTIFICATIONS_STALE_CLAIM_SECONDS)
    left = list(
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(
            Q(
                status=Delivery.Status.PENDING,
                not_before__lte=now,
            )
            & (Q(queued_at__isnull=True) | Q(queued_at__lte=now - requeue_after))
            | Q(status=Delivery.Status.SENDING, claimed_at__lte=now - stale_after)
        )
        .order_by("not_before", "pk")
        .values_list("pk", "status", "takebacks")[: settings.NOTIFICATIONS_SWEEP_BATCH]
    )
    if not left:
        return 0
    poisoned = [
        pk
        for pk, status, takebacks in left
        if status == Delivery.Status.SENDING
        and takebacks + 1 >= settings.NOTIFICATIONS_MAX_TAKEBACKS
    ]
    taken_back = [pk for pk, status, _t in left if status == Delivery.Status.SENDING]
    ids = [pk for pk, _s, _t in left if pk not in poisoned]
    Delivery.objects.filter(pk__in=taken_back).update(takebacks=F("takebacks") + 1)
    for delivery in Delivery.objects.filter(pk__in=poisoned).select_related("notification"):
        _finish(delivery, Delivery.Status.FAILED, error="WorkerLost")
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING,
        queued_at=now,
        claim_token="",
        updated_at=now,  # nosec B106
    )
    for delivery_id in ids:
        _queue(delivery_id)
    logger.info("Sweep re-queued %s deliveries, failed %s", len(ids), len(poisoned))
    return len(ids)


SWEEP_HEARTBEAT = "sweep"


def heartbeat_record(*, name: str, now: datetime | None = None) -> None:
    """Note that a periodic job ran (its own short transaction, after the job's)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": now or timezone.now()})


@transaction.atomic
def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """Staff send a failed delivery again (after fixing the mail server, say)."""
    access.ensure(actor.role == Role.STAFF)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != Delivery.Status.FAILED:
        raise ServiceError("Only a failed delivery can be sent again.")
    now = timezone.now()
    delivery.status = Delivery.Status.PENDING
    delivery.attempts = 0
    delivery.takebacks = 0
    delivery.first_attempt_at = None
    delivery.not_before = now
    delivery.queued_at = now
    delivery.claimed_at = None
    delivery.claim_token = ""  # nosec B105 - an empty claim, not a password
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "takebacks",
            "first_attempt_at",
            "not_before",
            "queued_at",
            "claimed_at",
            "claim_token",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="notifications.delivery_retried",
        target=delivery,
        detail={"channel": delivery.channel},
    )
    _queue(delivery.pk)
    return delivery


# --- Inbox --------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """People mark their own notifications read (the selector gives 404 for anyone else's)."""
    access.ensure(notification.recipient_id == actor.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        audit_record(actor=actor, action="notifications.read", target=notification)
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read."""
    now = timezone.now()
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
    if count:
        audit_record(
            actor=actor, action="notifications.all_read", target=actor, detail={"count": count}
        )
    return count


@transaction.atomic
def notifications_settle(*, actor: User | None, kind: str, event_key: str) -> int:
    """The thing a notification was about is dealt with (a task closed): it is read for every
    recipient, so nobody is left with an unread message about finished work. Callers have
    already checked that the actor may deal with the thing itself."""
    now = timezone.now()
    count = Notification.objects.filter(
        kind=kind, event_key=event_key, read_at__isnull=True
    ).update(read_at=now, updated_at=now)
    if count:
        audit_record(actor=actor, action="notifications.settled", detail={"count": count})
    return count


# --- Preferences --------------------------------------------------------------------------------

_PHONE = re.compile(r"^\+?[0-9 ]{7,20}$")


@transaction.atomic
def preference_update(
    *,
    actor: User,
    email_enabled: bool,
    sms_enabled: bool,
    sms_number: str,
    quiet_start: Time | None,
    quiet_end: Time | None,
    include_details: bool,
) -> NotificationPreference:
    """People set their own channels, quiet hours and the opt-in to details. In-app is always on."""
    sms_number = sms_number.strip()
    if sms_number and not _PHONE.match(sms_number):
        raise ServiceError(
            "Enter a mobile number using digits, like 07700 900123 or +44 7700 900123.",
            field="sms_number",
        )
    if sms_enabled and not sms_number:
        raise ServiceError("Enter a mobile number to get text messages.", field="sms_number")
    if (quiet_start is None) != (quiet_end is None):
        field = "quiet_end" if quiet_end is None else "quiet_start"
        raise ServiceError("Enter both a start and an end time, or neither.", field=field)
    if quiet_start is not None and quiet_start == quiet_end:
        raise ServiceError("The quiet hours must end at a different time.", field="quiet_end")
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
    changed = []
    for name, code, value in (
        ("email_enabled", "email", email_enabled),
        ("sms_enabled", "sms", sms_enabled),
        ("sms_number", "number", sms_number),
        ("quiet_start", "quiet_start", quiet_start),
        ("quiet_end", "quiet_end", quiet_end),
        ("include_details", "details", include_details),
    ):
        if getattr(pref, name) != value:
            setattr(pref, name, value)
            changed.append(code)
    if changed:
        pref.save()
        audit_record(
            actor=actor,
            action="notifications.preferences_changed",
            target=pref,
            detail={"fields": ",".join(changed)},
        )
    return pref
