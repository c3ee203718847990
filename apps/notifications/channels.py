"""Outside channels. Callers never touch these: they queue a notification, and the delivery task
sends it through the channel named on its row.

SMS goes through a backend chosen by the NOTIFICATIONS_SMS_BACKEND setting; the console backend
prints messages, and a provider's backend is a class with the same `send` method that raises
`TransportError` when a retry might help.
"""

from __future__ import annotations

import logging
import smtplib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import redis
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class TransportError(Exception):
    """The channel could not reach its server; trying again later may work."""


def is_retryable(exc: BaseException) -> bool:
    """Worth a retry with back-off: the server could not be reached or answered "try later".
    Anything else (a template error, an address the server refuses for good) fails the delivery
    at once, so a broken message does not loop."""
    if isinstance(exc, TransportError | SoftTimeLimitExceeded):
        return True  # SoftTimeLimitExceeded: the server is too slow to answer, try later
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # The shared cache (Redis) restarting while a message is rendered: try again shortly.
    if isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return True
    # Connection refused, reset, timed out, server disconnected (SMTP errors are OSErrors too).
    return isinstance(exc, OSError)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    sms: str
    link: str
    # E-mail attachments: (file name, content, MIME type).
    attachments: tuple[tuple[str, bytes, str], ...] = ()


class SmsBackend(Protocol):
    """A text message provider. `idempotency_key` is the same for every attempt of one delivery:
    pass it to the provider (most accept one, e.g. as a header or a client reference) so that a
    resend after a lost answer is recognised and not sent twice."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> None: ...


class ConsoleSmsBackend:
    """Prints text messages (development and demo)."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        sys.stdout.write(f"SMS to {to} [{idempotency_key}]: {text}\n")
        sys.stdout.flush()


class LocmemSmsBackend:
    """Keeps text messages in `LocmemSmsBackend.outbox` and their keys in `.keys` (tests)."""

    outbox: list[tuple[str, str]] = []
    keys: list[str] = []

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        LocmemSmsBackend.outbox.append((to, text))
        LocmemSmsBackend.keys.append(idempotency_key)


@cache
def _sms_backend(path: str) -> SmsBackend:
    backend: SmsBackend = import_string(path)()
    return backend


def sms_send(*, to: str, message: Message, idempotency_key: str) -> None:
    _sms_backend(settings.NOTIFICATIONS_SMS_BACKEND).send(
        to=to, text=message.sms, idempotency_key=idempotency_key
    )


def email_send(
    *,
    to: str,
    message: Message,
    delivery_id: int,
    message_id: str,
    on_accepted: Callable[[], None],
) -> None:
    """Send one e-mail and call `on_accepted` as soon as the server has accepted it, before the
    connection is closed: a failure after that point (QUIT, a time limit) must not cause a
    resend. `message_id` is fixed per delivery, so a resend is recognisable by mail clients."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[to],
        headers={
            # An id, not content: lets the clinic trace a message in the mail server's logs.
            "X-Portal-Delivery": str(delivery_id),
            "Auto-Submitted": "auto-generated",
            "Message-ID": message_id,
        },
    )
    email.attach_alternative(message.html, "text/html")
    for filename, content, mimetype in message.attachments:
        email.attach(filename, content, mimetype)
    connection = get_connection()
    connection.open()  # opened here, so send_messages leaves it open for us to close
    try:
        sent = connection.send_messages([email])
    except BaseException:
        _close_quietly(connection)
        raise
    if not sent:
        _close_quietly(connection)
        raise ValueError("The mail backend accepted no message.")
    on_accepted()
    _close_quietly(connection)


def _close_quietly(connection: BaseEmailBackend) -> None:
    """QUIT after the message was accepted: any error here changes nothing about delivery."""
    try:
        connection.close()
    except Exception:  # the message is already with the server
        logger.info("Closing the mail connection failed after sending; ignored.")
