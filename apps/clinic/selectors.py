"""Reading the clinic's settings."""

from apps.clinic.models import ClinicSettings


def clinic_settings_get() -> ClinicSettings:
    """The clinic's one settings row (the defaults until staff change them)."""
    settings = ClinicSettings.objects.filter(singleton=True).first()
    return settings if settings is not None else ClinicSettings()
