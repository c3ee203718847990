"""Reading the clinic's settings."""

from apps.clinic.models import ClinicSettings, ThresholdChange


def clinic_settings_get() -> ClinicSettings:
    """The clinic's one settings row (the defaults until staff change them)."""
    settings = ClinicSettings.objects.filter(singleton=True).first()
    return settings if settings is not None else ClinicSettings()


def threshold_changes_recent(limit: int = 10) -> list[ThresholdChange]:
    """The latest changes to the clinical thresholds, newest first, with who made them."""
    return list(ThresholdChange.objects.select_related("changed_by")[:limit])
