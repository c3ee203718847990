"""The clinic's settings are read once per process and read again after any change commits."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.clinic import selectors
from apps.clinic.models import ClinicSettings
from apps.clinic.services import clinic_settings_update


def _settings_queries(ctx: CaptureQueriesContext) -> int:
    return sum(1 for q in ctx.captured_queries if "clinic_clinicsettings" in q["sql"])


def test_pages_read_the_settings_once_and_again_after_a_change(
    client, staff, django_capture_on_commit_callbacks
):
    client.get(reverse("content:faq-public"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("content:faq-public"))
    assert response.status_code == 200
    assert _settings_queries(ctx) == 0

    with django_capture_on_commit_callbacks(execute=True):
        clinic_settings_update(actor=staff, name="Northside clinic")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("content:faq-public"))
    assert _settings_queries(ctx) == 1
    assert "Northside clinic" in response.content.decode()


def test_another_process_sees_the_change_through_the_shared_version(
    staff, django_capture_on_commit_callbacks
):
    first = selectors.clinic_settings_cached()
    # Another process saved the row: it bumped the shared version, this process kept its copy.
    with django_capture_on_commit_callbacks(execute=True):
        ClinicSettings.objects.update_or_create(
            singleton=True, defaults={"phone_24h": "0800 000 111"}
        )
    assert selectors.clinic_settings_cached().phone_24h == "0800 000 111"
    assert first.phone_24h != "0800 000 111"


@pytest.mark.django_db
def test_a_change_that_rolls_back_leaves_the_kept_copy(staff):
    selectors.clinic_settings_cached()
    version = cache.get(selectors.VERSION_KEY)
    selectors.clinic_settings_changed()  # inside the test's transaction: never committed
    assert cache.get(selectors.VERSION_KEY) == version
