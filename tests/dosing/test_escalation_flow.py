"""The sweep over a plan made and recorded through the dosing services: a late record with a
reason stays possible after the tier-1 reminder, and a recorded dose stops the ladder."""

from __future__ import annotations

import datetime as dt

from apps.dosing import escalation, services
from apps.dosing.escalation_models import Alert, Rule
from apps.dosing.models import DoseOutcome, Outcome
from tests.dosing.conftest import TODAY, dose_on

DAY2 = TODAY + dt.timedelta(days=1)


def test_after_the_reminder_a_late_record_with_a_reason_is_still_accepted(
    started, supervisor, clock
):
    # Day one: 25 mg at 9:05am (protected 24 h). Day two's dose is due at 9:00am (08:00 UTC).
    clock.move_to(dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.UTC))  # 11:00am in London
    escalation.escalation_sweep()
    assert Alert.objects.filter(rule=Rule.TIER1_LATE, dose=dose_on(started, DAY2)).exists()
    recorded = services.dose_outcome_record(
        actor=supervisor,
        dose=dose_on(started, DAY2),
        outcome=Outcome.WITNESSED,
        taken_at=dt.datetime(2026, 6, 2, 8, 10, tzinfo=dt.UTC),
        late_reason="Taken on time, recorded later.",
    )
    assert recorded.created
    clock.move_to(dt.datetime(2026, 6, 2, 21, 0, tzinfo=dt.UTC))
    escalation.escalation_sweep()
    # The sweep never overwrites a record, and no later tier fires.
    assert DoseOutcome.objects.get(dose=dose_on(started, DAY2)).outcome == Outcome.WITNESSED
    assert set(Alert.objects.values_list("rule", flat=True)) <= {
        Rule.TIER1_LATE,
        Rule.TIER2_UNPROTECTED,  # 25 mg at 9:05am protected until 9:05am on day two
    }


def test_a_missed_dose_marked_by_the_sweep_shows_in_the_dosing_history(started, clock):
    clock.move_to(dt.datetime(2026, 6, 2, 20, 0, tzinfo=dt.UTC))  # 9:00pm, 12 h after
    escalation.escalation_sweep()
    marked = DoseOutcome.objects.get(dose=dose_on(started, DAY2))
    assert marked.outcome == Outcome.MISSED
    assert marked.is_current
