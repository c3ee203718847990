"""Helpers for notification tests: the SMS outbox, and running a delivery as a worker would."""

from __future__ import annotations

from typing import Any

import pytest

from apps.core.privacy import CLINICAL_WORDS
from apps.notifications.channels import LocmemSmsBackend
from apps.notifications.models import Delivery
from apps.notifications.tasks import send_delivery


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
NEEDS_OBJECTS = {"invitation", "account_password_reset", "account_email_confirmation"}

__all__ = ["CLINICAL_WORDS", "NEEDS_OBJECTS"]


def run_deliveries(*deliveries: Delivery) -> list[str]:
    """Call the send task directly, as a worker would, for each delivery."""
    return [send_delivery(d.pk) for d in deliveries]


def fake_details(notification: Any) -> dict[str, Any]:
    """Details a dosing part might give: the words that must never reach a subject line."""
    return {"lines": ["Naltrexone 50 mg: dose missed", "AUDIT score 21"]}
