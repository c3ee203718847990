"""Helpers for intake tests: complete answers, a finished questionnaire, clinician records."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.utils import timezone

from apps.content.models import SafetyMessageVersion
from apps.content.services import safety_acknowledge
from apps.intake import services
from apps.intake.demo import demo_answers, record_clean_results


def answers(**overrides: dict[str, Any]) -> dict[str, Any]:
    base = demo_answers(timezone.localdate())
    for step, values in overrides.items():
        base[step] = {**base.get(step, {}), **values}
    return base


def fill(patient, data: dict[str, Any] | None = None, *, submit: bool = True) -> None:
    data = data or answers()
    for step, values in data.items():
        services.questionnaire_step_save(actor=patient, step=step, answers=values)
    if submit:
        services.questionnaire_submit(actor=patient)


def record_clean_tests(
    clinician, patient, *, today: dt.date | None = None, lft_age: int = 5
) -> None:
    record_clean_results(clinician, patient, today=today or timezone.localdate(), lft_age=lft_age)


def acknowledge_safety(patient) -> None:
    # A published version made directly, so these tests do not depend on the shipped wording.
    version, _ = SafetyMessageVersion.objects.get_or_create(
        version="test-1",
        defaults={
            "messages": [{"key": "withdrawal", "title": "t", "body": "b"}],
            "is_published": True,
            "published_at": timezone.now(),
        },
    )
    safety_acknowledge(actor=patient, version=version)


def reauthenticate(client, user) -> None:
    """What allauth records after the password is typed again (a session entry)."""
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()


@pytest.fixture
def submitted(patient):
    fill(patient)
    return patient
