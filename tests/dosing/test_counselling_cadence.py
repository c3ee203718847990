"""The counselling cadence counts from the treatment plan's first day once a plan exists."""

from __future__ import annotations

import datetime as dt

from apps.counselling import selectors as counselling_selectors
from apps.dosing import services
from tests.dosing.conftest import TODAY, plan_in


def test_the_cadence_counts_from_the_plans_first_day(eligible, clinician, supervisor):
    # Before a plan: the intake decision (today) stands in.
    assert counselling_selectors.cadence_start_for(eligible) == TODAY
    start = TODAY + dt.timedelta(days=10)
    services.plan_create(
        actor=clinician, patient=eligible, data=plan_in(start=start, supervisors=[supervisor])
    )
    assert counselling_selectors.cadence_start_for(eligible) == start
    info = counselling_selectors.due_for(eligible)
    assert info is not None
    assert info.due_by == start + dt.timedelta(days=14)
