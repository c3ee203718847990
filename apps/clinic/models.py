"""The clinic's own settings: one row. Staff keep the clinic's name, contact numbers and colours in
the admin; clinicians with the clinical-lead flag change the clinical thresholds (with a reason,
kept in `ThresholdChange`). Every change is audited.

Later parts of the pathway add their thresholds here (DOMAIN.md: "every number is a clinic
setting with this default").
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel
from apps.core.privacy import clinical_words_in

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1d5c63."))


def no_clinical_words(value: str) -> None:
    """The clinic's names appear in e-mail subjects and on phone lock screens: they must not
    say what the clinic treats (apps/core/privacy.py)."""
    found = clinical_words_in(value)
    if found:
        raise ValidationError(
            _(
                "This name is shown on phone lock screens and in e-mail subjects. Leave out "
                "words that say what the clinic treats, such as: %(words)s."
            ),
            params={"words": ", ".join(found)},
            code="clinical_words",
        )


class ClinicSettings(BaseModel):
    singleton = models.BooleanField(default=True, editable=False, unique=True)
    # Neutral by default: the names appear on lock screens (see no_clinical_words).
    name = models.CharField(
        max_length=120, default="Riverside Health Centre", validators=[no_clinical_words]
    )
    short_name = models.CharField(
        max_length=40, default="Riverside", validators=[no_clinical_words]
    )
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

    # --- Counselling appointments (DOMAIN.md section 5) -----------------------------------------
    booking_cutoff_hours = models.PositiveSmallIntegerField(
        _("patients may book, move or cancel up to this many hours before an appointment"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_(
            "After that they are asked to call the clinic. Clinicians can still change it."
        ),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("send the appointment reminder this many hours before"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 7)],
    )
    allow_booking_other_clinicians = models.BooleanField(
        _("patients may book with clinicians other than their own"), default=False
    )
    cadence_first_month_sessions = models.PositiveSmallIntegerField(
        _("counselling sessions in the first month of treatment"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("The leaflet asks for 2 to 3."),
    )
    cadence_interval_days = models.PositiveSmallIntegerField(
        _("after the first month, at least one session every this many days"),
        default=56,
        validators=[MinValueValidator(7), MaxValueValidator(92)],
        help_text=_("The leaflet asks for one every one to two months."),
    )
    cadence_months = models.PositiveSmallIntegerField(
        _("track counselling sessions for this many months of treatment"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
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
            models.CheckConstraint(
                condition=Q(protected_hours_100mg__gte=models.F("protected_hours_50mg"))
                & Q(protected_hours_150mg__gte=models.F("protected_hours_100mg")),
                name="clinic_settings_protection_grows_with_dose",
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
