"""Fixtures for counselling tests: a clinician with weekly hours, eligible patients, and sending
queued e-mails as the worker would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.intake import services as intake_services
from apps.notifications import services as notification_services
from apps.notifications.models import Delivery
from tests.counselling.helpers import open_every_day
from tests.intake.conftest import fill, record_clean_tests


@pytest.fixture
def hours(clinician):
    return open_every_day(clinician)


def make_eligible(patient, clinician) -> None:
    fill(patient)
    record_clean_tests(clinician, patient)
    intake_services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)


def send_all(now: dt.datetime | None = None) -> list[str]:
    """Send every delivery that is due, as the worker would."""
    now = now or timezone.now()
    ids = Delivery.objects.filter(status=Delivery.Status.PENDING, not_before__lte=now).values_list(
        "pk", flat=True
    )
    return [notification_services.delivery_send(delivery_id=pk) for pk in list(ids)]
