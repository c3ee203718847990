"""The clinician's treatment caseload: each patient on an open plan with adherence and risk
flags (unprotected now, missed this week, open concern, liver test due). One query for the
rows, whatever the caseload; sorting and filtering use allow-listed values only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.clinic.selectors import clinic_settings_cached
from apps.dosing.escalation import MISSED_OUTCOMES
from apps.dosing.models import (
    OPEN_PLAN_STATUSES,
    TAKEN_OUTCOMES,
    DoseOutcome,
    PlanVersion,
    ScheduledDose,
    TreatmentPlan,
)
from apps.dosing.monitoring import liver_next_due
from apps.dosing.selectors import protected_hours
from apps.intake.models import LiverFunctionTest
from apps.worklist.models import Task

SORTS = {
    "name": "Name",
    "adherence_7": "Taken in the last 7 days (lowest first)",
    "adherence_30": "Taken in the last 30 days (lowest first)",
    "missed_week": "Missed this week (most first)",
}
FILTERS = {
    "": "Everyone",
    "unprotected": "Unprotected now",
    "missed": "Missed this week",
    "concern": "Open concern",
    "liver": "Liver test due",
}


SEARCH_MAX = 100
PAGE_SIZE = 25


@dataclass(frozen=True)
class CaseloadRow:
    patient_id: int
    name: str
    status: str
    taken_7: int
    due_7: int
    taken_30: int
    due_30: int
    missed_week: int
    unprotected: bool
    open_concern: bool
    liver_due: dt.date | None

    @staticmethod
    def _percent(taken: int, due: int) -> int | None:
        return round(100 * taken / due) if due else None

    @property
    def adherence_7(self) -> int | None:
        return self._percent(self.taken_7, self.due_7)

    @property
    def adherence_30(self) -> int | None:
        return self._percent(self.taken_30, self.due_30)

    @property
    def flags(self) -> list[str]:
        found = []
        if self.unprotected:
            found.append("Unprotected now")
        if self.missed_week:
            found.append(f"Missed {self.missed_week} this week")
        if self.open_concern:
            found.append("Open concern")
        if self.liver_due is not None:
            found.append("Liver test due")
        return found


def _count(now: dt.datetime, days: int, outcomes: tuple[str, ...] | None) -> Coalesce:
    doses = ScheduledDose.objects.filter(
        plan=OuterRef("pk"), due_at__lte=now, due_at__gt=now - dt.timedelta(days=days)
    )
    if outcomes is not None:
        doses = doses.filter(outcomes__is_current=True, outcomes__outcome__in=outcomes)
    counted = doses.order_by().values("plan").annotate(c=Count("pk")).values("c")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def caseload_rows_for(
    *,
    user: User,
    sort: str = "name",
    flag: str = "",
    search: str = "",
    now: dt.datetime | None = None,
) -> list[CaseloadRow]:
    """Open plans of the active patients this clinician is responsible for (access.py), with
    adherence and risk flags. Unknown sort or filter values fall back to the defaults; a search
    keeps the patients whose name contains it."""
    access.ensure(user.role == Role.CLINICIAN)
    sort = sort if sort in SORTS else "name"
    flag = flag if flag in FILTERS else ""
    now = now or timezone.now()
    # A page: the kept settings row will do (apps/clinic/selectors.py).
    clinic = clinic_settings_cached()
    search = search.strip()[:SEARCH_MAX]
    shown = TreatmentPlan.objects.filter(
        patient__in=access.patients_managed_by(user), status__in=OPEN_PLAN_STATUSES
    )
    if search:
        shown = shown.filter(patient__full_name__icontains=search)
    # The last dose taken on each plan shown, for all of them at once (a window over their
    # taken outcomes): two subqueries per plan were most of this page's time at scale.
    last_taken = {
        plan_id: (taken_at, mg)
        for plan_id, taken_at, mg in DoseOutcome.objects.filter(
            is_current=True, outcome__in=TAKEN_OUTCOMES, dose__plan__in=shown.values("pk")
        )
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("dose__plan_id")],
                order_by=[F("taken_at").desc(), F("pk").desc()],
            )
        )
        .filter(newest=1)
        .values_list("dose__plan_id", "taken_at", "dose__mg")
    }
    plans = shown.annotate(
        taken_7=_count(now, 7, TAKEN_OUTCOMES),
        due_7=_count(now, 7, None),
        taken_30=_count(now, 30, TAKEN_OUTCOMES),
        due_30=_count(now, 30, None),
        missed_week=_count(now, 7, MISSED_OUTCOMES),
        open_concern=Exists(
            Task.objects.filter(
                patient_id=OuterRef("patient_id"), kind="dosing.concern", status="open"
            )
        ),
        start=Subquery(
            PlanVersion.objects.filter(plan=OuterRef("pk"))
            .order_by("-number")
            .values("treatment_start")[:1]
        ),
        last_lft=Subquery(
            LiverFunctionTest.objects.filter(patient_id=OuterRef("patient_id"))
            .order_by()
            .values("patient_id")
            .annotate(m=Max("taken_on"))
            .values("m")
        ),
    ).values_list(
        "pk",
        "patient_id",
        "patient__full_name",
        "status",
        "taken_7",
        "due_7",
        "taken_30",
        "due_30",
        "missed_week",
        "open_concern",
        "start",
        "last_lft",
    )
    today = timezone.localdate()
    rows = []
    for plan_id, pid, name, status, t7, d7, t30, d30, missed, concern, start, lft in plans:
        last_at, last_mg = last_taken.get(plan_id, (None, None))
        unprotected = (
            last_at is not None
            and last_mg is not None
            and last_at + dt.timedelta(hours=protected_hours(last_mg, clinic)) <= now
        )
        liver = liver_next_due(start, lft, clinic, today) if start else None
        rows.append(
            CaseloadRow(
                patient_id=pid,
                name=name,
                status=status,
                taken_7=t7,
                due_7=d7,
                taken_30=t30,
                due_30=d30,
                missed_week=missed,
                unprotected=unprotected and status == "active",
                open_concern=concern,
                liver_due=liver if liver is not None and liver <= today else None,
            )
        )
    wanted: dict[str, Callable[[CaseloadRow], bool]] = {
        "unprotected": lambda r: r.unprotected,
        "missed": lambda r: r.missed_week > 0,
        "concern": lambda r: r.open_concern,
        "liver": lambda r: r.liver_due is not None,
    }
    if flag:
        rows = [r for r in rows if wanted[flag](r)]
    keys: dict[str, Callable[[CaseloadRow], Any]] = {
        "name": lambda r: (r.name.lower(), r.patient_id),
        "adherence_7": lambda r: (r.adherence_7 if r.adherence_7 is not None else 101, r.name),
        "adherence_30": lambda r: (r.adherence_30 if r.adherence_30 is not None else 101, r.name),
        "missed_week": lambda r: (-r.missed_week, r.name),
    }
    return sorted(rows, key=keys[sort])


def caseload_page(*, user: User, params: Mapping[str, str]) -> dict[str, Any]:
    """One page of the caseload table and its controls, from the query string (?sort=, ?flag=,
    ?q=, ?page=). Shared by the caseload page and the clinician's dashboard; anything unknown
    falls back to the defaults, so a hand-edited address never fails."""
    sort = params.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    flag = params.get("flag", "")
    flag = flag if flag in FILTERS else ""
    search = params.get("q", "").strip()[:SEARCH_MAX]
    rows = caseload_rows_for(user=user, sort=sort, flag=flag, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    kept = {k: v for k, v in (("sort", sort), ("flag", flag), ("q", search)) if v}
    return {
        "rows": list(page.object_list),
        "all_rows": rows,
        "page": page,
        "total": len(rows),
        "sort": sort,
        "flag": flag,
        "q": search,
        "flag_label": FILTERS[flag],
        "sorts": SORTS,
        "filters": FILTERS,
        "query": urlencode(kept),
    }
