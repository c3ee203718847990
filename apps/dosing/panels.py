"""Dashboard panels for dosing (see apps/core/panels.py). Each makes a fixed number of queries,
whatever the number of rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.clinic.selectors import clinic_settings_get
from apps.core.panels import Panel
from apps.dosing import presenters, selectors
from apps.dosing.models import OPEN_PLAN_STATUSES, ScheduledDose, TreatmentPlan
from apps.dosing.schedule import when_words_dated
from apps.intake.models import PathwayState


def patient_today(user: User) -> Panel | None:
    """Today's dose and how long the last one protects."""
    plan = selectors.plan_open_for(patient_id=user.pk)
    if plan is None:
        return None
    now = timezone.now()
    clinic = clinic_settings_get()
    today = selectors.patient_today(user, now)
    dose = (
        selectors.doses_with_outcomes(ScheduledDose.objects.filter(patient=user, local_date=today))
        .select_related("patient")
        .first()
    )
    protection = selectors.protection_for(patient_id=user.pk, clinic=clinic)
    return Panel(
        template="dosing/_patient_panel.html",
        context={
            "today": presenters.dose_row(
                dose,
                zone=user.time_zone,
                now=now,
                clinic=clinic,
                role=user.role,
                first_pending=protection.last_taken is None,
            )
            if dose
            else None,
            "protected_until": (
                when_words_dated(protection.protected_until, user.time_zone)
                if protection.protected_until
                else None
            ),
            "is_protected": protection.is_protected(now),
        },
        order=12,
    )


def supervisor_today(user: User) -> Panel | None:
    """Each supervised person's dose today, with what happened (consent in force only)."""
    now = timezone.now()
    clinic = clinic_settings_get()
    patients = list(access.patients_visible_to(user).order_by("full_name", "pk"))
    if not patients:
        return None
    # Everyone's "today" is within a day of UTC's: fetch the three days around it, then keep
    # each person's own today.
    utc_today = now.date()
    doses = list(
        selectors.doses_with_outcomes(
            ScheduledDose.objects.filter(
                patient__in=[p.pk for p in patients],
                local_date__gte=utc_today - dt.timedelta(days=1),
                local_date__lte=utc_today + dt.timedelta(days=1),
            )
        )
    )
    rows = []
    for patient in patients:
        today = selectors.patient_today(patient, now)
        dose = next(
            (d for d in doses if d.patient_id == patient.pk and d.local_date == today), None
        )
        rows.append(
            {
                "patient": patient,
                "today": presenters.dose_row(
                    dose, zone=patient.time_zone, now=now, clinic=clinic, role=user.role
                )
                if dose
                else None,
            }
        )
    return Panel(template="dosing/_supervisor_panel.html", context={"rows": rows}, order=10)


def clinician_plans(user: User) -> Panel | None:
    """Patients found eligible who have no plan yet, and patients on treatment (links to their
    plans)."""
    visible = access.patients_visible_to(user)
    open_plan = TreatmentPlan.objects.filter(patient=OuterRef("pk"), status__in=OPEN_PLAN_STATUSES)
    to_start = list(
        visible.filter(pathway__state=PathwayState.ELIGIBLE)
        .exclude(Exists(open_plan))
        .order_by("full_name", "pk")[:20]
    )
    plans = list(
        TreatmentPlan.objects.filter(patient__in=visible, status__in=OPEN_PLAN_STATUSES)
        .select_related("patient")
        .order_by("patient__full_name", "pk")[:50]
    )
    if not to_start and not plans:
        return None
    return Panel(
        template="dosing/_clinician_panel.html",
        context={"to_start": to_start, "plans": plans},
        order=30,
    )
