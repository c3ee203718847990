"""Invitation links carry a secret token in their path (e-mail links can only be addresses).
Logs must not keep it: gunicorn's access log (portal/gunicorn_logging.py) and Django's request
logs (a logging filter in settings.LOGGING) write `/invite/[redacted]/` instead."""

from __future__ import annotations

import logging
import re

# /invite/<token>/ and anything after it on the same address.
_INVITE_TOKEN = re.compile(r"(/invite/)[^/\s?\"]+")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    """The text with every invitation token replaced."""
    return _INVITE_TOKEN.sub(REDACTED, text)


class RedactInvitationTokens(logging.Filter):
    """A logging filter: redact tokens in the message and its arguments (django.request logs
    "Not Found: /invite/<token>/", runserver logs the request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
