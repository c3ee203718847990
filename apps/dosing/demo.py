"""Demo treatment: patient@ and patient2@ each have a plan that started 60 days ago, with their
history recorded through the services: the first dose witnessed at the clinic, then mostly
witnessed by their supervisor, some taken unsupervised, a couple missed. patient@'s naloxone
kit expires soon. Safe to run again: a patient who already has a plan is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.core.demo import Demo
from apps.dosing import selectors, services
from apps.dosing.models import ScheduledDose, TreatmentPlan
from apps.intake.models import PathwayState
from apps.intake.selectors import pathway_state_of

HISTORY_DAYS = 60
# (patient, supervisor, schedule, kit expires in this many days from today)
PLANS = [
    ("patient@example.org", "supervisor@example.org", "daily", 20),
    ("patient2@example.org", "supervisor2@example.org", "mwf", 200),
]
MISSED_DOSES = {11, 23}  # the 12th and 24th doses were missed
SELF_REPORTED_EVERY = 6  # every sixth dose was taken with nobody watching


def seed(demo: Demo) -> None:
    clinician = demo.people["clinician@example.org"]
    now = timezone.now()
    for email, supervisor_email, schedule, kit_days in PLANS:
        patient = demo.people[email]
        supervisor = demo.people[supervisor_email]
        if selectors.plan_latest_for(patient_id=patient.pk) is not None:
            continue
        if pathway_state_of(patient) != PathwayState.ELIGIBLE:
            continue
        today = selectors.patient_today(patient, now)
        start = today - dt.timedelta(days=HISTORY_DAYS)
        began = now - dt.timedelta(days=HISTORY_DAYS + 1)
        services.naloxone_kit_record(
            actor=patient,
            patient=patient,
            expires_on=today + dt.timedelta(days=kit_days),
            now=began,
        )
        plan = services.plan_create(
            actor=clinician,
            patient=patient,
            data=services.PlanIn(
                goal="Stay off heroin, keep my job and be there for my family",
                treatment_start=start,
                planned_review=services.add_months(start, 3),
                planned_end=services.add_months(start, 12),
                schedule=services.ScheduleIn(
                    schedule=schedule,
                    supervision_time=dt.time(9),
                    effective_from=start,
                    supervisor_ids=(supervisor.pk,),
                ),
            ),
            now=began,
        )
        for step in range(0, HISTORY_DAYS + 1, 14):
            services.doses_fill_ahead(now=now - dt.timedelta(days=HISTORY_DAYS - step))
        _history(plan, clinician, supervisor, patient, today)
        demo.say(f"{email}: treatment plan with {HISTORY_DAYS} days of dose history")


def _history(
    plan: TreatmentPlan, clinician: User, supervisor: User, patient: User, today: dt.date
) -> None:
    doses = ScheduledDose.objects.filter(plan=plan, local_date__lt=today).order_by("due_at")
    for n, dose in enumerate(doses):
        when = dose.due_at + dt.timedelta(minutes=10)
        if n == 0:
            actor, outcome = clinician, "witnessed"
        elif n in MISSED_DOSES:
            actor, outcome = supervisor, "missed"
        elif n % SELF_REPORTED_EVERY == 0:
            actor, outcome = patient, "self_reported"
        else:
            actor, outcome = supervisor, "witnessed"
        services.dose_outcome_record(
            actor=actor, dose=dose, outcome=outcome, taken_at=None, now=when
        )
