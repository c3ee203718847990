"""The system checks that keep the delivery timings consistent, and the header count."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from apps.notifications.checks import delivery_timings
from apps.notifications.context_processors import unread


def test_timings_as_configured_pass():
    assert delivery_timings(None) == []


def test_a_back_off_longer_than_the_visibility_timeout_is_refused(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 900
    assert [e.id for e in delivery_timings(None)] == ["notifications.E001"]


def test_a_stale_claim_limit_shorter_than_the_task_limit_is_refused(settings):
    settings.NOTIFICATIONS_STALE_CLAIM_SECONDS = 30
    assert [e.id for e in delivery_timings(None)] == ["notifications.E002"]


def test_anonymous_pages_pay_no_query_for_the_count(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {}


# --- A queue the workers can reach --------------------------------------------------------------


def test_production_without_redis_is_refused(settings):
    from apps.notifications.checks import broker_configured

    settings.DEBUG = False
    settings.REDIS_URL = ""
    settings.SINGLE_MACHINE = False
    assert [e.id for e in broker_configured(None)] == ["notifications.E003"]


def test_single_machine_on_purpose_and_development_are_allowed(settings):
    from apps.notifications.checks import broker_configured

    settings.REDIS_URL = ""
    settings.DEBUG, settings.SINGLE_MACHINE = False, True
    assert broker_configured(None) == []
    settings.DEBUG, settings.SINGLE_MACHINE = True, False
    assert broker_configured(None) == []
    settings.DEBUG, settings.REDIS_URL = False, "redis://redis.example.org:6379/0"
    assert broker_configured(None) == []
