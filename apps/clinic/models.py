"""The clinic's own settings: one row. Staff keep the clinic's name, contact numbers and colours in
the admin; clinicians with the clinical-lead flag change the clinical thresholds (with a reason,
kept in `ThresholdChange`). Every change is audited.

Later parts of the pathway add their thresholds here (DOMAIN.md: "every number is a clinic
setting with this default").
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
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

    # --- Intake screening thresholds (DOMAIN.md section 2) --------------------------------------
    min_age_years = models.PositiveSmallIntegerField(
        _("minimum age (years)"),
        default=18,
        validators=[MinValueValidator(18)],
        help_text=_(
            "18 or more: naltrexone is not licensed for younger people. A clinician can still "
            "override the age gate for one patient, with a reason."
        ),
    )
    short_acting_free_days = models.PositiveSmallIntegerField(
        _("days free of short-acting opioids before the first dose"),
        default=7,
        help_text=_("Heroin, codeine, tramadol and similar. Fewer days blocks."),
    )
    short_acting_warn_days = models.PositiveSmallIntegerField(
        _("short-acting opioids: warn below this many days"),
        default=10,
        help_text=_("From the minimum up to (not including) this number of days: warn."),
    )
    long_acting_free_days = models.PositiveSmallIntegerField(
        _("days free of methadone or buprenorphine before the first dose"),
        default=10,
        help_text=_("Fewer days blocks."),
    )
    long_acting_warn_days = models.PositiveSmallIntegerField(
        _("methadone or buprenorphine: warn below this many days"),
        default=14,
        help_text=_("From the minimum up to (not including) this number of days: warn."),
    )
    modified_release_free_days = models.PositiveSmallIntegerField(
        _("days free of modified-release opioids before the first dose"),
        default=10,
        help_text=_("Slow-release morphine, oxycodone and similar. Fewer days blocks."),
    )
    modified_release_warn_days = models.PositiveSmallIntegerField(
        _("modified-release opioids: warn below this many days"),
        default=14,
        help_text=_("From the minimum up to (not including) this number of days: warn."),
    )
    fentanyl_free_days = models.PositiveSmallIntegerField(
        _("days free of fentanyl before the first dose"),
        default=10,
        help_text=_("Fentanyl builds up in body fat with regular use. Fewer days blocks."),
    )
    fentanyl_warn_days = models.PositiveSmallIntegerField(
        _("fentanyl: warn below this many days"),
        default=14,
        help_text=_("From the minimum up to (not including) this number of days: warn."),
    )
    urine_screen_max_age_days = models.PositiveSmallIntegerField(
        _("urine drug screen: oldest result accepted at the first dose (days)"), default=3
    )

    class NaloxonePolicy(models.TextChoices):
        ALWAYS = "always", _("Always (UK SmPC)")
        IF_UNVERIFIED = (
            "if_unverified",
            _("Only if the opioid-free interval is not confirmed by a urine drug screen"),
        )

    naloxone_challenge_policy = models.CharField(
        _("naloxone challenge"),
        max_length=20,
        choices=NaloxonePolicy.choices,
        default=NaloxonePolicy.ALWAYS,
    )
    liver_test_max_age_days = models.PositiveSmallIntegerField(
        _("liver blood test: oldest baseline accepted (days)"), default=28
    )
    liver_specialist_multiple = models.DecimalField(
        _("ALT or AST at or above this many times the upper limit: specialist review"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal("1.00"))],
    )
    liver_block_multiple = models.DecimalField(
        _("ALT or AST at or above this many times the upper limit: do not start"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("1.00"))],
    )
    surgery_pause_hours = models.PositiveSmallIntegerField(
        _("stop this many hours before planned surgery"), default=72
    )
    audit_c_positive_score = models.PositiveSmallIntegerField(
        _("AUDIT-C score that asks the full AUDIT"),
        default=5,
        validators=[MaxValueValidator(12)],
        help_text=_("UK: 5 or more."),
    )

    class Meta:
        verbose_name = _("clinic settings")
        verbose_name_plural = _("clinic settings")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="clinic_settings_singleton"),
            models.CheckConstraint(
                condition=Q(short_acting_warn_days__gte=models.F("short_acting_free_days"))
                & Q(long_acting_warn_days__gte=models.F("long_acting_free_days"))
                & Q(modified_release_warn_days__gte=models.F("modified_release_free_days"))
                & Q(fentanyl_warn_days__gte=models.F("fentanyl_free_days")),
                name="clinic_settings_warn_after_minimum",
            ),
            models.CheckConstraint(condition=Q(min_age_years__gte=18), name="clinic_min_age_18"),
            models.CheckConstraint(
                condition=Q(liver_block_multiple__gte=models.F("liver_specialist_multiple")),
                name="clinic_settings_liver_block_above_review",
            ),
        ]

    def __str__(self) -> str:
        return "Clinic settings"


# Fields only a clinical lead may change (DOMAIN.md section 2's thresholds).
THRESHOLD_FIELDS: tuple[str, ...] = (
    "min_age_years",
    "short_acting_free_days",
    "short_acting_warn_days",
    "long_acting_free_days",
    "long_acting_warn_days",
    "modified_release_free_days",
    "modified_release_warn_days",
    "fentanyl_free_days",
    "fentanyl_warn_days",
    "urine_screen_max_age_days",
    "naloxone_challenge_policy",
    "liver_test_max_age_days",
    "liver_specialist_multiple",
    "liver_block_multiple",
    "surgery_pause_hours",
    "audit_c_positive_score",
)


class ThresholdChange(models.Model):
    """Append-only record of one change to the clinical thresholds: who, when, why, and each
    field's old and new value."""

    changed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    reason = models.TextField()
    changes = models.JSONField()  # {field: [old, new]} as text

    class Meta:
        ordering = ("-changed_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="threshold_change_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Threshold change #{self.pk}"
