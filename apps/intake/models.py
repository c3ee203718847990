"""Intake: the patient's pathway state, questionnaire answers, the clinician's records of tests,
stored eligibility assessments, overrides and decisions (DOMAIN.md sections 1 and 2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

USER = settings.AUTH_USER_MODEL


class PathwayState(models.TextChoices):
    INVITED = "invited", _("Invited")
    INTAKE = "intake", _("Filling in the questionnaire")
    REVIEW = "review", _("Waiting for clinician review")
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    INDUCTION = "induction", _("Starting treatment")
    MAINTENANCE = "maintenance", _("In treatment")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")
    DISCHARGED = "discharged", _("Discharged")


class Pathway(BaseModel):
    """Where one patient is in the programme. Changed only by `apps.intake.pathway.transition`."""

    patient = models.OneToOneField(
        USER, on_delete=models.PROTECT, primary_key=True, related_name="pathway"
    )
    state = models.CharField(
        max_length=20, choices=PathwayState.choices, default=PathwayState.INVITED
    )
    state_changed_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    # A clinic or pharmacy supervises doses instead of (or besides) a named person.
    clinic_supervision = models.BooleanField(default=False)
    counselling_plan = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in PathwayState]), name="pathway_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Pathway #{self.pk}"


class PathwayTransition(models.Model):
    """Append-only history of pathway changes: who, when, from, to and why."""

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=20, choices=PathwayState.choices)
    to_state = models.CharField(max_length=20, choices=PathwayState.choices)
    actor = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"Pathway transition #{self.pk}"


class QuestionnaireResponse(BaseModel):
    """The patient's answers, one JSON object per step, saved as they go (resumable anywhere)."""

    patient = models.OneToOneField(
        USER, on_delete=models.PROTECT, primary_key=True, related_name="questionnaire"
    )
    answers = models.JSONField(default=dict)
    # Instrument scores {code: {"total": n, "band": code}} worked out when a step is saved.
    scores = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Questionnaire #{self.pk}"


class Result(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")


class UrineDrugScreen(BaseModel):
    """A urine drug screen: each opioid on the panel negative or positive."""

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="urine_screens")
    taken_on = models.DateField()
    opiates = models.CharField(
        _("opiates (morphine, heroin, codeine)"), max_length=10, choices=Result.choices
    )
    methadone = models.CharField(max_length=10, choices=Result.choices)
    buprenorphine = models.CharField(max_length=10, choices=Result.choices)
    fentanyl = models.CharField(max_length=10, choices=Result.choices)
    tramadol = models.CharField(max_length=10, choices=Result.choices)
    oxycodone = models.CharField(max_length=10, choices=Result.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    ANALYTES = ("opiates", "methadone", "buprenorphine", "fentanyl", "tramadol", "oxycodone")

    class Meta:
        ordering = ("-taken_on", "-pk")

    def __str__(self) -> str:
        return f"Urine drug screen #{self.pk}"

    @property
    def is_positive(self) -> bool:
        return any(getattr(self, a) == Result.POSITIVE for a in self.ANALYTES)


class NaloxoneChallenge(BaseModel):
    class Route(models.TextChoices):
        IV = "iv", _("Intravenous")
        IM = "im", _("Intramuscular")
        SC = "sc", _("Subcutaneous")
        IN = "in", _("Intranasal")

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="naloxone_challenges")
    done_on = models.DateField()
    route = models.CharField(max_length=4, choices=Route.choices)
    dose_mg = models.DecimalField(max_digits=4, decimal_places=2)
    observed_minutes = models.PositiveSmallIntegerField()
    result = models.CharField(max_length=10, choices=Result.choices)
    cows_total = models.PositiveSmallIntegerField(null=True, blank=True)
    cows_answers = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("-done_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(dose_mg__gt=0) & Q(dose_mg__lte=2), name="naloxone_dose_range"
            ),
            models.CheckConstraint(
                condition=Q(cows_total__isnull=True) | Q(cows_total__lte=48),
                name="naloxone_cows_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Naloxone challenge #{self.pk}"


class LiverFunctionTest(BaseModel):
    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="liver_tests")
    taken_on = models.DateField()
    alt = models.PositiveIntegerField(_("ALT (U/L)"))
    alt_uln = models.PositiveIntegerField(_("ALT upper limit of normal (U/L)"))
    ast = models.PositiveIntegerField(_("AST (U/L)"))
    ast_uln = models.PositiveIntegerField(_("AST upper limit of normal (U/L)"))
    bilirubin = models.PositiveIntegerField(_("bilirubin (micromol/L)"))
    bilirubin_uln = models.PositiveIntegerField(
        _("bilirubin upper limit of normal (micromol/L)"), default=21
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("-taken_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(alt_uln__gt=0) & Q(ast_uln__gt=0), name="lft_uln_positive"
            ),
            models.CheckConstraint(
                condition=Q(bilirubin_uln__gt=0), name="lft_bilirubin_uln_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Liver function test #{self.pk}"


class PlannedProcedure(BaseModel):
    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="planned_procedures")
    description = models.CharField(max_length=200)
    planned_on = models.DateField(null=True, blank=True)
    opioid_pain_relief_expected = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("planned_on", "pk")

    def __str__(self) -> str:
        return f"Planned procedure #{self.pk}"


class WashoutPlan(BaseModel):
    """A specialist's plan for a patient coming off depot buprenorphine (weekly or monthly
    injections): who advised, and the earliest date the first naltrexone dose may be given."""

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="washout_plans")
    specialist = models.CharField(_("specialist who made the plan"), max_length=200)
    last_injection_on = models.DateField(_("date of the last depot injection"))
    earliest_first_dose = models.DateField(_("earliest date of the first naltrexone dose"))
    plan = models.TextField(_("the plan"), max_length=2000)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(earliest_first_dose__gt=models.F("last_injection_on")),
                name="washout_after_last_injection",
            ),
            models.CheckConstraint(condition=~Q(plan=""), name="washout_has_plan"),
        ]

    def __str__(self) -> str:
        return f"Washout plan #{self.pk}"


class PregnancyAdvice(BaseModel):
    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="pregnancy_advice")
    given_on = models.DateField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("-given_on", "-pk")

    def __str__(self) -> str:
        return f"Pregnancy advice #{self.pk}"


class EligibilityAssessment(models.Model):
    """One run of the eligibility engine, stored with the exact inputs it saw."""

    class Overall(models.TextChoices):
        PASS = "pass", _("All gates pass")
        WARN = "warn", _("Passes with warnings")
        BLOCK = "block", _("Blocked")

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="assessments")
    evaluated_at = models.DateTimeField()
    evaluated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=20)
    inputs = models.JSONField()
    gates = models.JSONField()
    overall = models.CharField(max_length=10, choices=Overall.choices)
    # The same, for the decision only: gates that hold back just the first dose (supervision,
    # the safety acknowledgement) warn here. The review queue's flags read this.
    decision_overall = models.CharField(max_length=10, choices=Overall.choices, default="block")

    class Meta:
        ordering = ("-evaluated_at", "-pk")

    def __str__(self) -> str:
        return f"Eligibility assessment #{self.pk}"


class GateOverride(models.Model):
    """A clinician's written, re-authenticated decision to proceed despite a blocked gate."""

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="gate_overrides")
    gate = models.CharField(max_length=40)
    reason = models.TextField()
    assessment = models.ForeignKey(
        EligibilityAssessment, on_delete=models.PROTECT, related_name="+"
    )
    overridden_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    overridden_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
            models.UniqueConstraint(
                fields=("patient", "gate"),
                condition=Q(withdrawn_at__isnull=True),
                name="override_one_live_per_gate",
            ),
        ]

    def __str__(self) -> str:
        return f"Gate override #{self.pk}"


class IntakeDecision(models.Model):
    """The clinician's decision after review. The dosing part of the portal picks up the latest
    eligible decision to draft the treatment plan."""

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="intake_decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    indication = models.CharField(max_length=20, blank=True, default="")
    alcohol_goal = models.CharField(max_length=20, blank=True, default="")
    off_label_confirmed = models.BooleanField(default=False)
    # Shown to the patient when not eligible: written kindly, by the clinician.
    reason_for_patient = models.TextField(blank=True, default="")
    assessment = models.ForeignKey(
        EligibilityAssessment, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ("-decided_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="not_eligible") | ~Q(reason_for_patient=""),
                name="decision_not_eligible_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="eligible")
                | ~Q(alcohol_goal="reduction")
                | Q(off_label_confirmed=True),
                name="decision_reduction_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"Intake decision #{self.pk}"
