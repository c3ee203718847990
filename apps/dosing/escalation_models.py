"""Escalation and concerns (DOMAIN.md section 4), kept beside the dosing models.

- `Alert`: one rule firing for one patient. Once per (dose, tier), and once per (plan, rule,
  key), both held by the database, so a sweep that runs twice raises nothing new. Each alert
  records the rule, the threshold it crossed and who was told.
- `EscalationOverride`: a clinician's per-patient thresholds; empty fields use the clinic's.
- `Concern`: a supervisor's report of what they saw and how worried they are.
- `UrgentTaskClosure`: how an urgent dosing task was closed: the outcome chosen on purpose, a
  note, and who was called and when.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Rule(models.TextChoices):
    TIER1_LATE = "tier1_late", _("No record after the due time (tier 1)")
    TIER2_UNPROTECTED = "tier2_unprotected", _("Protection has run out (tier 2)")
    TIER3_CONSECUTIVE = "tier3_consecutive", _("Missed doses in a row (tier 3)")
    TIER3_WINDOW = "tier3_window", _("Several missed doses in a week (tier 3)")
    TIER3_CONCERN = "tier3_concern", _("A supervisor raised a concern (tier 3)")
    REINDUCTION_GAP = "reinduction_gap", _("Days without a dose (re-induction check)")
    REINDUCTION_USE = "reinduction_use", _("Opioid use reported (re-induction check)")


# The tier of each rule; 0 for the re-induction rules (not a tier of the missed-dose ladder).
RULE_TIER: dict[str, int] = {
    Rule.TIER1_LATE: 1,
    Rule.TIER2_UNPROTECTED: 2,
    Rule.TIER3_CONSECUTIVE: 3,
    Rule.TIER3_WINDOW: 3,
    Rule.TIER3_CONCERN: 3,
    Rule.REINDUCTION_GAP: 0,
    Rule.REINDUCTION_USE: 0,
}


class Alert(models.Model):
    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="dosing_alerts")
    plan = models.ForeignKey(
        "dosing.TreatmentPlan", on_delete=models.PROTECT, related_name="alerts"
    )
    # The dose the alert is about (none for a concern).
    dose = models.ForeignKey(
        "dosing.ScheduledDose",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    tier = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=30, choices=Rule.choices)
    # What fired it, unique per plan and rule ("dose:12", "outcome:40", "concern:3").
    key = models.CharField(max_length=64)
    # The threshold it crossed, in words a clinician reads ("2 h after the due time").
    threshold = models.CharField(max_length=60)
    # Who was told: [{"id": user id, "role": "patient" | "supervisor" | "clinician"}].
    recipients = models.JSONField(default=list)
    created_at = models.DateTimeField()
    # Set once the notifications and the worklist task are queued (apps.dosing.escalation).
    delivered_at = models.DateTimeField(null=True, blank=True)
    task = models.ForeignKey(
        "worklist.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The clinician saw it (the app's "acknowledge"). Its task, if any, still closes on purpose.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="alert_acknowledged_by_someone",
            ),
            # DOMAIN.md section 4: an alert fires once per dose and tier.
            models.UniqueConstraint(
                fields=("dose", "tier"),
                condition=Q(dose__isnull=False),
                name="alert_once_per_dose_tier",
            ),
            models.UniqueConstraint(fields=("plan", "rule", "key"), name="alert_once_per_key"),
            models.CheckConstraint(
                condition=Q(rule__in=[r.value for r in Rule]), name="alert_rule_valid"
            ),
            models.CheckConstraint(
                condition=Q(tier__gte=0) & Q(tier__lte=3), name="alert_tier_valid"
            ),
        ]
        indexes = [models.Index(fields=("patient", "created_at"), name="alert_patient_created")]

    def __str__(self) -> str:
        return f"Alert #{self.pk}"


class EscalationOverride(models.Model):
    """Thresholds for one patient. An empty field uses the clinic's setting."""

    patient = models.OneToOneField(
        USER, on_delete=models.PROTECT, related_name="escalation_override"
    )
    dose_late_hours = models.PositiveSmallIntegerField(
        _("hours after the due time before a reminder (tier 1)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    dose_missed_after_hours = models.PositiveSmallIntegerField(
        _("hours after the due time before an unrecorded dose is marked missed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(23)],
    )
    reinduction_gap_days = models.PositiveSmallIntegerField(
        _("days without a dose before a re-induction check"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    reason = models.TextField()
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(dose_late_hours__isnull=True)
                | Q(dose_missed_after_hours__isnull=True)
                | Q(dose_missed_after_hours__gt=models.F("dose_late_hours")),
                name="override_missed_after_late",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="escalation_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Escalation override #{self.pk}"


class Worry(models.TextChoices):
    A_LITTLE = "a_little", _("A little worried")
    QUITE = "quite", _("Quite worried")
    VERY = "very", _("Very worried")


class Concern(models.Model):
    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="concerns_about")
    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="concerns_raised")
    what_seen = models.TextField(_("what you saw or heard"))
    worry = models.CharField(_("how worried you are"), max_length=20, choices=Worry.choices)
    opioid_use_suspected = models.BooleanField(
        _("I think they may have used opioids"), default=False
    )
    created_at = models.DateTimeField()
    task = models.ForeignKey(
        "worklist.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(worry__in=[w.value for w in Worry]), name="concern_worry_valid"
            ),
            models.CheckConstraint(condition=~Q(what_seen=""), name="concern_has_text"),
            models.CheckConstraint(
                condition=~Q(patient=models.F("supervisor")), name="concern_not_about_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Concern #{self.pk}"


class UrgentTaskClosure(models.Model):
    """Closing an urgent dosing task: the outcome, a note, and the call (who, when)."""

    task = models.OneToOneField("worklist.Task", on_delete=models.PROTECT, related_name="closure")
    outcome_code = models.CharField(max_length=40)
    note = models.TextField()
    called_whom = models.CharField(max_length=120)
    called_at = models.DateTimeField()
    closed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="closure_has_note"),
            models.CheckConstraint(condition=~Q(called_whom=""), name="closure_names_call"),
            models.CheckConstraint(condition=~Q(outcome_code=""), name="closure_has_outcome"),
        ]

    def __str__(self) -> str:
        return f"Urgent task closure #{self.pk}"


class MoodCheck(models.Model):
    """PHQ-9 and GAD-7 repeated monthly in the first months of treatment (DOMAIN.md section 7),
    filled in by the patient. `month` is months since the start of treatment."""

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="mood_checks")
    plan = models.ForeignKey(
        "dosing.TreatmentPlan", on_delete=models.PROTECT, related_name="mood_checks"
    )
    month = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    phq9_total = models.PositiveSmallIntegerField()
    gad7_total = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ("-submitted_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("plan", "month"), name="mood_check_once_per_month"),
            models.CheckConstraint(
                condition=Q(phq9_total__lte=27) & Q(gad7_total__lte=21) & Q(month__gte=1),
                name="mood_check_totals_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Mood check #{self.pk}"
