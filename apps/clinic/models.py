"""The clinic's own settings: one row, edited by staff in the admin, every change audited.

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
        _("minimum age (years)"), default=18, validators=[MinValueValidator(16)]
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
    phq9_item9_flag_above = models.PositiveSmallIntegerField(
        _("PHQ-9 question 9: raise an urgent task for answers above"),
        default=0,
        validators=[MaxValueValidator(2)],
    )

    # --- Dosing (DOMAIN.md sections 3 and 4) -----------------------------------------------------
    protected_hours_50mg = models.PositiveSmallIntegerField(
        _("hours protected after 50 mg (or less)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("UK SmPC: 50 mg blocks opioids for about 24 hours."),
    )
    protected_hours_100mg = models.PositiveSmallIntegerField(
        _("hours protected after 100 mg"), default=48, validators=[MinValueValidator(1)]
    )
    protected_hours_150mg = models.PositiveSmallIntegerField(
        _("hours protected after 150 mg"), default=72, validators=[MinValueValidator(1)]
    )
    dose_late_hours = models.PositiveSmallIntegerField(
        _("hours after the due time before a dose counts as late (tier 1)"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("After this, a reminder goes out and a record needs a reason."),
    )
    dose_fill_ahead_days = models.PositiveSmallIntegerField(
        _("days of doses scheduled ahead"),
        default=28,
        validators=[MinValueValidator(7), MaxValueValidator(120)],
    )
    naloxone_challenge_max_age_days = models.PositiveSmallIntegerField(
        _("naloxone challenge: oldest result accepted at the first dose (days)"),
        default=1,
        help_text=_("0 means the challenge must be on the day of the first dose."),
        validators=[MaxValueValidator(7)],
    )

    # --- Escalation and monitoring (DOMAIN.md sections 4 and 7) ---------------------------------
    # Tier 1 is `dose_late_hours` above. Each of these can be changed for one patient
    # (apps.dosing.escalation_models.EscalationOverride).
    dose_missed_after_hours = models.PositiveSmallIntegerField(
        _("hours after the due time before an unrecorded dose is marked missed"),
        default=12,
        validators=[MinValueValidator(3), MaxValueValidator(23)],
        help_text=_("A clinician can still correct the record afterwards."),
    )
    tier3_consecutive_missed = models.PositiveSmallIntegerField(
        _("missed doses in a row that raise an urgent task (tier 3)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    tier3_missed_in_window = models.PositiveSmallIntegerField(
        _("missed doses within the window below that raise an urgent task (tier 3)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    tier3_window_days = models.PositiveSmallIntegerField(
        _("window for counting missed doses (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    reinduction_gap_days = models.PositiveSmallIntegerField(
        _("days without a dose taken before a re-induction check is required"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    liver_test_first_months = models.PositiveSmallIntegerField(
        _("first liver blood test after the start (months)"), default=1
    )
    liver_test_second_months = models.PositiveSmallIntegerField(
        _("second liver blood test after the start (months)"), default=3
    )
    liver_test_every_months = models.PositiveSmallIntegerField(
        _("then a liver blood test every (months)"),
        default=6,
        validators=[MinValueValidator(1)],
    )
    liver_rise_multiple = models.DecimalField(
        _("ALT or AST above this multiple of the upper limit raises a task"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("1.0"))],
    )
    mood_monthly_months = models.PositiveSmallIntegerField(
        _("PHQ-9 and GAD-7 repeated monthly for the first (months)"),
        default=3,
        validators=[MaxValueValidator(12)],
    )
    urine_screen_interval_days = models.PositiveSmallIntegerField(
        _("urine drug screen during treatment every (days)"),
        default=28,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("clinic settings")
        verbose_name_plural = _("clinic settings")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="clinic_settings_singleton"),
            models.CheckConstraint(
                condition=Q(short_acting_warn_days__gte=models.F("short_acting_free_days"))
                & Q(long_acting_warn_days__gte=models.F("long_acting_free_days")),
                name="clinic_settings_warn_after_minimum",
            ),
            models.CheckConstraint(
                condition=Q(liver_block_multiple__gte=models.F("liver_specialist_multiple")),
                name="clinic_settings_liver_block_above_review",
            ),
            models.CheckConstraint(
                condition=Q(protected_hours_100mg__gte=models.F("protected_hours_50mg"))
                & Q(protected_hours_150mg__gte=models.F("protected_hours_100mg")),
                name="clinic_settings_protection_grows_with_dose",
            ),
        ]

    def __str__(self) -> str:
        return "Clinic settings"
