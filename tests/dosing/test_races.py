"""Two supervisors confirming the same dose at the same moment: exactly one record, and the other
a plain "already recorded by ..." answer. Real threads on PostgreSQL (run with the live_worker
set, which uses PostgreSQL: `pytest -p no:xdist -m live_worker`)."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.roles import Role
from apps.dosing import services
from apps.dosing.models import DoseOutcome
from tests.conftest import link_supervisor, make_user
from tests.dosing.conftest import TODAY, dose_on
from tests.notifications.test_races import _together

pytestmark = pytest.mark.live_worker


def test_two_supervisors_confirming_at_once_make_one_record(
    transactional_db, started, supervisor, patient, clinician, clock
):
    second = make_user("second.supervisor@test.example", Role.SUPERVISOR, name="Sam Second")
    link_supervisor(patient, second, clinician)
    day2 = TODAY + dt.timedelta(days=1)
    clock.move_to(dt.datetime(2026, 6, 2, 8, 5, tzinfo=dt.UTC))
    dose = dose_on(started, day2)
    people = [supervisor, second, supervisor, second]
    turn = iter(range(len(people)))

    def confirm():
        actor = people[next(turn)]
        return services.dose_outcome_record(actor=actor, dose=dose, outcome="witnessed")

    results = _together(4, confirm)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(1 for r in results if r.created) == 1
    others = [r for r in results if not r.created]
    assert len(others) == 3
    assert all(r.message.startswith("This dose was already recorded by ") for r in others)
    assert DoseOutcome.objects.filter(dose=dose).count() == 1
