"""The clinic's own settings: one row, edited by staff in the admin, every change audited.

Later parts of the pathway add their thresholds here (DOMAIN.md: "every number is a clinic
setting with this default").
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1d5c63."))


class ClinicSettings(BaseModel):
    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = models.CharField(max_length=120, default="Riverside Recovery Clinic")
    short_name = models.CharField(max_length=40, default="Riverside")
    phone_24h = models.CharField(
        _("24-hour contact number"),
        max_length=40,
        default="0300 000 0000",
        help_text=_("Printed on alert cards and shown in urgent messages."),
    )
    address = models.TextField(blank=True, default="1 River Street, Exampletown")
    crisis_text = models.TextField(
        _("where to get help now"),
        default=(
            "If you might act on thoughts of harming yourself, call 999 or go to A&E now.\n"
            "Samaritans: call 116 123, free, any time.\n"
            "Shout: text SHOUT to 85258."
        ),
    )
    brand_colour = models.CharField(max_length=7, default="#1d5c63", validators=[colour])
    accent_colour = models.CharField(max_length=7, default="#8a3b12", validators=[colour])

    class Meta:
        verbose_name = _("clinic settings")
        verbose_name_plural = _("clinic settings")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="clinic_settings_singleton"),
        ]

    def __str__(self) -> str:
        return "Clinic settings"
