"""Outside channels. Callers never touch these: they queue a notification, and the delivery task
sends it through the channel named on its row.

SMS goes through a backend chosen by the NOTIFICATIONS_SMS_BACKEND setting; the console backend
prints messages, and a provider's backend is a class with the same `send` method that raises
`TransportError` when a retry might help.
"""

from __future__ import annotations

import smtplib
import sys
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string


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
    def send(self, *, to: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Prints text messages (development and demo)."""

    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()


class LocmemSmsBackend:
    """Keeps text messages in `LocmemSmsBackend.outbox` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        LocmemSmsBackend.outbox.append((to, text))


@cache
def _sms_backend(path: str) -> SmsBackend:
    backend: SmsBackend = import_string(path)()
    return backend


def sms_send(*, to: str, message: Message) -> None:
    _sms_backend(settings.NOTIFICATIONS_SMS_BACKEND).send(to=to, text=message.sms)


def email_send(*, to: str, message: Message, delivery_id: int) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[to],
        # An id, not content: lets the clinic trace a message in the mail server's logs.
        headers={"X-Portal-Delivery": str(delivery_id), "Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(message.html, "text/html")
    for filename, content, mimetype in message.attachments:
        email.attach(filename, content, mimetype)
    email.send()
