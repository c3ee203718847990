"""Dashboard panels for dosing (see apps/core/panels.py). Each makes a fixed number of queries,
whatever the number of rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.audit.services import audit_read_list
from apps.clinic.selectors import clinic_settings_cached
from apps.core.panels import Panel
from apps.dosing import presenters, selectors
from apps.dosing.caseload import CaseloadRow, caseload_page
from apps.dosing.models import (
    OPEN_PLAN_STATUSES,
    TAKEN_OUTCOMES,
    DoseOutcome,
    ScheduledDose,
    TreatmentPlan,
)
from apps.intake.models import PathwayState


def patient_today(user: User) -> Panel | None:
    """Today's dose and supervisor, how long the last dose protects, streak, adherence and the
    weekly chart (plan, then presenters.patient_summary's fixed queries)."""
    plan = selectors.plan_open_for(patient_id=user.pk)
    if plan is None:
        return None
    context = presenters.patient_summary(
        patient=user, plan=plan, clinic=clinic_settings_cached(), now=timezone.now()
    )
    return Panel(template="dosing/_patient_panel.html", context=context, order=12)


def supervisor_today(user: User) -> Panel | None:
    """Each supervised person's dose today with the outcome buttons, and their last 14 days
    (consent in force only). Fixed queries: people, their doses with current outcomes (2)."""
    now = timezone.now()
    clinic = clinic_settings_cached()
    patients = list(access.patients_visible_to(user).order_by("full_name", "pk"))
    if not patients:
        return None
    # Everyone's "today" is within a day of UTC's: fetch the days around the fortnight, then
    # keep each person's own.
    utc_today = now.date()
    doses = list(
        selectors.doses_with_outcomes(
            ScheduledDose.objects.filter(
                patient__in=[p.pk for p in patients],
                local_date__gte=utc_today - dt.timedelta(days=15),
                local_date__lte=utc_today + dt.timedelta(days=1),
            )
        )
    )
    # The first dose is given at the clinic: until one is taken, a supervisor may only say it
    # was missed (presenters.dose_row).
    started = set(
        DoseOutcome.objects.filter(
            dose__patient__in=[p.pk for p in patients],
            is_current=True,
            outcome__in=TAKEN_OUTCOMES,
        ).values_list("dose__patient_id", flat=True)
    )
    by_patient: dict[int, list[ScheduledDose]] = {p.pk: [] for p in patients}
    for each in doses:
        by_patient[each.patient_id].append(each)
    rows = []
    for patient in patients:
        today = selectors.patient_today(patient, now)
        theirs = [d for d in by_patient[patient.pk] if d.local_date <= today]
        dose = next((d for d in theirs if d.local_date == today), None)
        rows.append(
            {
                "patient": patient,
                "today": presenters.dose_row(
                    dose,
                    zone=patient.time_zone,
                    now=now,
                    clinic=clinic,
                    role=user.role,
                    first_pending=patient.pk not in started,
                )
                if dose
                else None,
                "days": presenters.day_strip(theirs, today=today, now=now),
            }
        )
    return Panel(template="dosing/_supervisor_panel.html", context={"rows": rows}, order=10)


LIST_MAX = 10


def clinician_treatment(user: User) -> list[Panel]:
    """Two panels from one read of the caseload: in the day's worklist, patients found eligible
    with no plan yet, patients unprotected now and liver tests due; below it, the first page of
    the treatment caseload (sortable, filterable and searchable in place; escalation:caseload
    serves the other pages and the no-script path)."""
    visible = access.patients_visible_to(user)
    open_plan = TreatmentPlan.objects.filter(patient=OuterRef("pk"), status__in=OPEN_PLAN_STATUSES)
    to_start = list(
        visible.filter(pathway__state=PathwayState.ELIGIBLE)
        .exclude(Exists(open_plan))
        .order_by("full_name", "pk")[:20]
    )
    caseload = caseload_page(user=user, params={})
    rows: list[CaseloadRow] = caseload["all_rows"]
    # The first few of each; the caseload, filtered, has the rest.
    every_unprotected = [r for r in rows if r.unprotected]
    every_liver_due = [r for r in rows if r.liver_due is not None]
    unprotected, liver_due = every_unprotected[:LIST_MAX], every_liver_due[:LIST_MAX]
    # What the clinician sees of each patient here is part of their record: each patient shown
    # finds it on their "who has seen my record" page.
    shown = {p.pk for p in to_start} | {r.patient_id for r in unprotected + liver_due}
    audit_read_list(
        actor=user,
        patient_ids=shown | {r.patient_id for r in caseload["rows"]},
        what="clinician_dashboard",
    )
    panels = []
    if to_start or unprotected or liver_due:
        panels.append(
            Panel(
                template="dosing/_clinician_panel.html",
                context={
                    "to_start": to_start,
                    "unprotected": unprotected,
                    "unprotected_more": len(every_unprotected) - len(unprotected),
                    "liver_due": liver_due,
                    "liver_due_more": len(every_liver_due) - len(liver_due),
                },
                order=5,
            )
        )
    if rows:
        panels.append(Panel(template="dosing/_caseload_panel.html", context=caseload, order=90))
    return panels
