"""Dosing: treatment plans, their versioned schedules, the scheduled doses, what happened at each
dose, and the naloxone kit at home (DOMAIN.md sections 3, 4 and 6).

- `TreatmentPlan`: one patient's course of naltrexone with the responsible clinician. At most one
  plan is open (active or paused) per patient at a time.
- `PlanVersion`: the schedule in force from a date. A change (new schedule, pause, restart at
  25 mg, stop, discharge) adds a version; old versions stay readable and are never edited.
- `ScheduledDose`: one dose due at a moment (stored in UTC) with the patient's local date, so the
  "never more than 150 mg in one day" rule can be a database constraint.
- `DoseOutcome`: what happened. One *current* outcome per dose (a partial unique constraint);
  a correction is a new row that supersedes the old one, never an overwrite.
- `NaloxoneKit`: the kit at home and its expiry date; the newest row is the current kit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

USER = settings.AUTH_USER_MODEL

TABLET_MG = 50
MAX_MG_PER_DAY = 150
INDUCTION_MG = 25
# DOMAIN.md section 1: a planned course lasts at least 12 months. The database holds a floor of
# 365 days; the service checks calendar months.
MIN_PLAN_DAYS = 365


class Indication(models.TextChoices):
    OPIOID = "opioid", _("Preventing relapse to opioids")
    ALCOHOL = "alcohol", _("Alcohol dependence")
    BOTH = "both", _("Opioids and alcohol")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")
    DISCHARGED = "discharged", _("Discharged")


OPEN_PLAN_STATUSES = (PlanStatus.ACTIVE, PlanStatus.PAUSED)


class TreatmentPlan(BaseModel):
    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="treatment_plans")
    responsible_clinician = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    indication = models.CharField(max_length=20, choices=Indication.choices)
    # For alcohol: "abstinence" or "reduction" (off-label, confirmed at the intake decision).
    alcohol_goal = models.CharField(max_length=20, blank=True, default="")
    goal = models.TextField(
        _("goal of treatment"), help_text=_("In the patient's words where possible.")
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    # The decision this plan was drafted from (apps.intake).
    decision = models.ForeignKey(
        "intake.IntakeDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in PlanStatus]), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(indication__in=[i.value for i in Indication]),
                name="plan_indication_valid",
            ),
            models.CheckConstraint(
                condition=~Q(patient=F("responsible_clinician")), name="plan_not_own_clinician"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_PLAN_STATUSES) | Q(ended_at__isnull=False),
                name="plan_closed_has_end",
            ),
            # One open plan per patient.
            models.UniqueConstraint(
                fields=("patient",),
                condition=Q(status__in=OPEN_PLAN_STATUSES),
                name="plan_one_open_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"Treatment plan #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PLAN_STATUSES


class Schedule(models.TextChoices):
    """DOMAIN.md section 3. Induction (25 mg on the first day) is a flag on the version."""

    DAILY = "daily", _("50 mg (one tablet) every day")
    EVERY_2 = "every_2", _("100 mg (two tablets) every second day")
    EVERY_3 = "every_3", _("150 mg (three tablets) every third day")
    MWF = "mwf", _("Monday 100 mg, Wednesday 100 mg, Friday 150 mg")


class Change(models.TextChoices):
    """Why a version was made. Pause, stop and discharge versions schedule no doses."""

    START = "start", _("Plan started")
    SCHEDULE = "schedule", _("New schedule")
    PAUSE = "pause", _("Paused (for example for surgery)")
    RESTART = "restart", _("Restarted at 25 mg after a re-induction check")
    RESUME = "resume", _("Resumed after a pause")
    STOP = "stop", _("Stopped")
    DISCHARGE = "discharge", _("Discharged")


DOSING_CHANGES = (Change.START, Change.SCHEDULE, Change.RESTART, Change.RESUME)


class PlanVersion(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=20, choices=Change.choices)
    schedule = models.CharField(max_length=20, choices=Schedule.choices)
    # The first dose of this version is 25 mg (half a tablet): the start and every re-induction.
    induction_first = models.BooleanField(default=False)
    # The supervision time the patient and supervisor agreed, in the patient's time zone.
    supervision_time = models.TimeField()
    time_zone = models.CharField(max_length=64, default="Europe/London")
    # The first day (in the patient's time zone) this version schedules doses from.
    effective_from = models.DateField()
    # The plan's first day and its planned review and end (carried forward by each version).
    treatment_start = models.DateField()
    planned_review = models.DateField()
    planned_end = models.DateField()
    supervisors: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, blank=True, related_name="supervised_plan_versions"
    )
    clinic_supervision = models.BooleanField(default=False)
    reason = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("plan", "-number")
        constraints = [
            models.UniqueConstraint(fields=("plan", "number"), name="plan_version_number_unique"),
            models.CheckConstraint(
                condition=Q(schedule__in=[s.value for s in Schedule]),
                name="plan_version_schedule_valid",
            ),
            models.CheckConstraint(
                condition=Q(change__in=[c.value for c in Change]),
                name="plan_version_change_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    planned_end__gte=F("treatment_start") + dt.timedelta(days=MIN_PLAN_DAYS)
                ),
                name="plan_version_at_least_12_months",
            ),
            models.CheckConstraint(
                condition=Q(planned_review__gt=F("treatment_start"))
                & Q(planned_review__lte=F("planned_end")),
                name="plan_version_review_within_plan",
            ),
            models.CheckConstraint(
                condition=Q(change__in=[c.value for c in DOSING_CHANGES]) | ~Q(reason=""),
                name="plan_version_change_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan version #{self.pk}"

    @property
    def schedules_doses(self) -> bool:
        return self.change in DOSING_CHANGES


class ScheduledDose(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="doses")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="doses")
    # Denormalised from the plan so per-patient queries (dashboards, the sweep) need no join.
    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="scheduled_doses")
    due_at = models.DateTimeField()
    # The day the dose is due in the patient's time zone.
    local_date = models.DateField()
    tablets = models.DecimalField(max_digits=3, decimal_places=1)
    mg = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("due_at", "pk")
        constraints = [
            # DOMAIN.md section 3: never more than 150 mg (3 tablets) on one day. One dose per
            # patient and day, each at most 150 mg, holds the daily total.
            models.CheckConstraint(
                condition=Q(mg__gt=0) & Q(mg__lte=MAX_MG_PER_DAY), name="dose_mg_at_most_150"
            ),
            models.CheckConstraint(
                condition=Q(tablets__gt=0) & Q(tablets__lte=MAX_MG_PER_DAY / TABLET_MG),
                name="dose_tablets_at_most_3",
            ),
            models.UniqueConstraint(fields=("plan", "due_at"), name="dose_once_per_plan_time"),
            models.UniqueConstraint(
                fields=("patient", "local_date"), name="dose_one_per_patient_day"
            ),
        ]
        indexes = [
            models.Index(fields=("patient", "due_at"), name="dose_patient_due"),
            # The missed-dose sweep reads every active plan's doses of the last weeks.
            models.Index(fields=("due_at",), name="dose_due_at"),
        ]

    def __str__(self) -> str:
        return f"Scheduled dose #{self.pk}"


class Outcome(models.TextChoices):
    WITNESSED = "witnessed", _("Taken, witnessed")
    SELF_REPORTED = "self_reported", _("Taken, not supervised")
    REFUSED = "refused", _("Refused")
    VOMITED = "vomited", _("Vomited or spat out")
    MISSED = "missed", _("Missed")


# Outcomes that protect: the tablet was swallowed and kept down. Vomited or spat out does not
# count (how much was absorbed is unknown), the safer reading for the escalation rules.
TAKEN_OUTCOMES = (Outcome.WITNESSED, Outcome.SELF_REPORTED)


class DoseOutcome(models.Model):
    dose = models.ForeignKey(ScheduledDose, on_delete=models.PROTECT, related_name="outcomes")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # When the tablet was taken (taken outcomes only): protected-until counts from here.
    taken_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    # Why the record is late (more than the tier-1 time after the due time).
    late_reason = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="")
    # A correction points at the outcome it replaces; the replaced row stays, no longer current.
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ("recorded_at", "pk")
        constraints = [
            # DOMAIN.md section 4: one outcome per scheduled dose.
            models.UniqueConstraint(
                fields=("dose",), condition=Q(is_current=True), name="dose_one_current_outcome"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in Outcome]), name="dose_outcome_valid"
            ),
            models.CheckConstraint(
                condition=(Q(outcome__in=TAKEN_OUTCOMES) & Q(taken_at__isnull=False))
                | (~Q(outcome__in=TAKEN_OUTCOMES) & Q(taken_at__isnull=True)),
                name="dose_outcome_taken_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(supersedes=F("pk")), name="dose_outcome_not_self_superseding"
            ),
        ]
        indexes = [
            # The missed-dose sweep looks for each plan's last dose taken among recent ones.
            models.Index(
                fields=("taken_at",),
                condition=Q(is_current=True, outcome__in=TAKEN_OUTCOMES),
                name="dose_outcome_taken_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Dose outcome #{self.pk}"

    @property
    def is_taken(self) -> bool:
        return self.outcome in TAKEN_OUTCOMES


class NaloxoneKit(models.Model):
    """A naloxone kit at the patient's home (DOMAIN.md section 6.3). The newest row is current."""

    patient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="naloxone_kits")
    expires_on = models.DateField(_("expiry date"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ("-recorded_at", "-pk")

    def __str__(self) -> str:
        return f"Naloxone kit #{self.pk}"


# Escalation, concerns and their closures live in their own module (apps/dosing/escalation_models.py).
from apps.dosing.escalation_models import (  # noqa: E402
    Alert,
    Concern,
    EscalationOverride,
    MoodCheck,
    UrgentTaskClosure,
)

__all__ = ["Alert", "Concern", "EscalationOverride", "MoodCheck", "UrgentTaskClosure"]
