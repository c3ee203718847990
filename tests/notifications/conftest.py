"""Helpers for notification tests: the SMS outbox, and running a delivery as a worker would."""

from __future__ import annotations

from typing import Any

import pytest

from apps.core.privacy import CLINICAL_WORDS
from apps.notifications.channels import LocmemSmsBackend
from apps.notifications.models import Delivery
from apps.notifications.tasks import send_delivery

# Kinds whose message needs its object to exist (an invitation, an appointment): the generic
# tests below leave them out; each is tested with its object in its own app's tests
# (tests/accounts, tests/counselling/test_calendar.py and test_reminders.py).
OBJECT_KINDS = frozenset(
    {
        "invitation",
        "appointment_confirmed",
        "appointment_changed",
        "appointment_cancelled",
        "appointment_reminder",
        "appointment_invitation",
        "appointment_offer",
    }
)


@pytest.fixture(autouse=True)
def _sms_outbox(settings: Any) -> Any:
    settings.NOTIFICATIONS_SMS_BACKEND = "apps.notifications.channels.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    LocmemSmsBackend.keys.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()
    LocmemSmsBackend.keys.clear()


@pytest.fixture
def sms_outbox(_sms_outbox: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return _sms_outbox


# Kinds whose messages load real objects at send time (an invitation, an account's reset link):
# tests/notifications/test_account_mail.py and the invitation tests send those for real.
NEEDS_OBJECTS = OBJECT_KINDS | {"account_password_reset", "account_email_confirmation"}

__all__ = ["CLINICAL_WORDS", "NEEDS_OBJECTS", "OBJECT_KINDS"]


def run_deliveries(*deliveries: Delivery) -> list[str]:
    """Call the send task directly, as a worker would, for each delivery."""
    return [send_delivery(d.pk) for d in deliveries]


def fake_details(notification: Any) -> dict[str, Any]:
    """Details a dosing part might give: the words that must never reach a subject line."""
    return {"lines": ["Naltrexone 50 mg: dose missed", "AUDIT score 21"]}
