"""Reading the clinic's settings.

Every page shows the clinic's name, colours and 24-hour number, so the settings row is read once
per process and kept, keyed by a version number held in the shared cache (Redis in production):
a change anywhere bumps the version after it commits, and every web and worker process reads the
row again on its next request. With a cache that lives inside one process (no REDIS_URL) other
processes cannot see the bump, so there the kept copy also expires after a few seconds.

Decisions that rest on the clinical thresholds (intake services) read the row itself with
`clinic_settings_get()`; pages use `clinic_settings_cached()`.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction

from apps.clinic.models import ClinicSettings, ThresholdChange

VERSION_KEY = "clinic:settings-version"
# Seconds a kept copy lives when the cache cannot tell other processes about a change.
LOCAL_CACHE_SECONDS = 5

_kept: tuple[str, float, ClinicSettings] | None = None


def clinic_settings_get() -> ClinicSettings:
    """The clinic's one settings row (the defaults until staff change them), read now."""
    settings = ClinicSettings.objects.filter(singleton=True).first()
    return settings if settings is not None else ClinicSettings()


def _cache_is_process_local() -> bool:
    backend = str(django_settings.CACHES["default"]["BACKEND"])
    return backend.endswith(("LocMemCache", "DummyCache"))


def _current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return str(version)


def clinic_settings_cached() -> ClinicSettings:
    """The settings row as last read by this process, read again when the version changes.
    Treat it as read-only."""
    global _kept
    version = _current_version()
    now = time.monotonic()
    kept = _kept
    still_current = not _cache_is_process_local() or (
        kept is not None and now - kept[1] < LOCAL_CACHE_SECONDS
    )
    if kept is not None and kept[0] == version and still_current:
        return kept[2]
    row = clinic_settings_get()
    _kept = (version, now, row)
    return row


def clinic_settings_changed() -> None:
    """Tell every process to read the settings again once the current transaction commits."""

    def bump() -> None:
        global _kept
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        _kept = None

    transaction.on_commit(bump)


def threshold_changes_recent(limit: int = 10) -> list[ThresholdChange]:
    """The latest changes to the clinical thresholds, newest first, with who made them."""
    return list(ThresholdChange.objects.select_related("changed_by")[:limit])
