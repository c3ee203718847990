"""Reads of education content."""

from __future__ import annotations

from apps.content.models import SafetyAcknowledgement, SafetyMessageVersion


def safety_version_current() -> SafetyMessageVersion | None:
    """The most recently published safety messages, or None before any is published."""
    return (
        SafetyMessageVersion.objects.filter(is_published=True)
        .order_by("-published_at", "-pk")
        .first()
    )


def has_acknowledged_current_safety(*, patient_id: int) -> bool:
    """True when the patient has acknowledged the current version of the safety messages.
    The first dose cannot be recorded until this holds (DOMAIN.md section 2, informed consent)."""
    current = safety_version_current()
    if current is None:
        return False
    return SafetyAcknowledgement.objects.filter(patient_id=patient_id, version=current).exists()
