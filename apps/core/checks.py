"""System checks for settings that would put the treatment on a phone's lock screen."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.checks import Warning as CheckWarning

from apps.core.privacy import clinical_words_in


@register()
def neutral_issuer(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Authenticator apps list every account under its issuer name, in plain sight. An error in
    production; a warning in development, so an old .env does not stop `make run`."""
    found = clinical_words_in(str(getattr(settings, "MFA_TOTP_ISSUER", "")))
    if not found:
        return []
    level = CheckWarning if settings.DEBUG else Error
    return [
        level(
            "CLINIC_SHORT_NAME (the name authenticator apps show) must not say what the clinic "
            f"treats; leave out: {', '.join(found)}.",
            hint='Use a neutral name such as "Clinic portal" or the name of the building.',
            id="core.E001",
        )
    ]
