"""Boundary tests for the gates changed by the clinical safety review (issue 10): each opioid
class at the day before and the day of its interval, the strictest class winning, depot
buprenorphine, contradictions, bilirubin, pain relief, the fixed PHQ-9 rule, alcohol
withdrawal, and which gates can never be overridden. Pure: no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from apps.intake import eligibility as e
from tests.intake.test_eligibility import TODAY, clean_answers, gate, inputs


def used(**days_ago: int | None) -> dict[str, object]:
    """Substances answers: each class used, `n` days ago (None: no date given)."""
    section: dict[str, object] = {"opioid_classes": list(days_ago), "currently_dependent": "no"}
    for cls, n in days_ago.items():
        section[f"last_{cls}"] = None if n is None else (TODAY - dt.timedelta(days=n)).isoformat()
    return section


def with_use(**days_ago: int | None) -> e.Inputs:
    answers = clean_answers()
    answers["substances"] = used(**days_ago)
    return inputs(answers=answers)


# (class, minimum, warn_below) with the DOMAIN.md defaults.
INTERVALS = [
    ("short_acting", 7, 10),
    ("methadone", 10, 14),
    ("buprenorphine_daily", 10, 14),
    ("modified_release", 10, 14),
    ("fentanyl", 10, 14),
]


@pytest.mark.parametrize(("cls", "minimum", "warn_below"), INTERVALS)
def test_each_class_blocks_the_day_before_its_minimum_and_warns_on_the_day(
    cls, minimum, warn_below
):
    before = gate(with_use(**{cls: minimum - 1}), "last_opioid")
    on_the_day = gate(with_use(**{cls: minimum}), "last_opioid")
    assert before.outcome == e.BLOCK
    assert not before.overridable
    assert f"at least {minimum} days" in before.reason
    assert on_the_day.outcome == e.WARN
    assert gate(with_use(**{cls: warn_below - 1}), "last_opioid").outcome == e.WARN
    assert gate(with_use(**{cls: warn_below}), "last_opioid").outcome == e.PASS


@pytest.mark.parametrize(
    ("cls", "field_free", "field_warn"),
    [
        ("modified_release", "modified_release_free_days", "modified_release_warn_days"),
        ("fentanyl", "fentanyl_free_days", "fentanyl_warn_days"),
    ],
)
def test_the_new_class_intervals_are_settings(cls, field_free, field_warn):
    changes: dict[str, Any] = {field_free: 14, field_warn: 21}
    strict = replace(e.Thresholds(), **changes)
    i = replace(with_use(**{cls: 13}), thresholds=strict)
    assert gate(i, "last_opioid").outcome == e.BLOCK
    assert gate(replace(i, today=TODAY + dt.timedelta(days=1)), "last_opioid").outcome == e.WARN


def test_the_strictest_class_wins():
    # Heroin 12 days ago passes; methadone 9 days ago blocks: the block wins.
    g = gate(with_use(short_acting=12, methadone=9), "last_opioid")
    assert g.outcome == e.BLOCK
    assert "methadone" in g.reason
    assert "short-acting opioids: 12 days" in g.value
    # Both past their minimum: the warning wins over the pass.
    assert gate(with_use(short_acting=12, fentanyl=11), "last_opioid").outcome == e.WARN
    # Heroin 7 days (warn, margin 0) and fentanyl 12 days (warn, margin 2): heroin decides.
    assert "short-acting" in gate(with_use(short_acting=7, fentanyl=12), "last_opioid").reason


def test_a_class_without_a_date_blocks():
    g = gate(with_use(short_acting=30, fentanyl=None), "last_opioid")
    assert g.outcome == e.BLOCK
    assert "fentanyl" in g.reason


def test_depot_buprenorphine_is_its_own_answer_and_blocks_until_a_washout_plan():
    i = with_use(buprenorphine_depot=120)
    depot = gate(i, "depot_buprenorphine")
    assert depot.outcome == e.BLOCK
    assert not depot.overridable
    assert "washout plan" in depot.reason
    # Never the daily-buprenorphine rule: 120 days would pass that.
    assert gate(i, "last_opioid").outcome == e.PASS
    plan = e.WashoutPlanIn(recorded_on=TODAY, earliest_first_dose=TODAY + dt.timedelta(days=1))
    assert gate(replace(i, washout_plan=plan), "depot_buprenorphine").outcome == e.BLOCK
    on_the_day = replace(plan, earliest_first_dose=TODAY)
    assert gate(replace(i, washout_plan=on_the_day), "depot_buprenorphine").outcome == e.PASS


def test_an_old_buprenorphine_answer_counts_as_depot_as_well_as_daily():
    answers = clean_answers()
    answers["substances"] = {
        "last_opioid_kind": "buprenorphine",
        "last_opioid_date": (TODAY - dt.timedelta(days=9)).isoformat(),
        "currently_dependent": "no",
    }
    i = inputs(answers=answers)
    assert gate(i, "last_opioid").outcome == e.BLOCK
    assert gate(i, "depot_buprenorphine").outcome == e.BLOCK


@pytest.mark.parametrize(
    ("indication", "dependent", "meds", "outcome"),
    [
        ("opioids", "no", "no", e.WARN),  # help with opioids, but "never used opioids"
        ("both", "no", "no", e.WARN),
        ("alcohol", "yes", "no", e.WARN),  # dependent, but no use
        ("alcohol", "no", "yes", e.WARN),  # an opioid medicine, but no use
        ("alcohol", "no", "no", e.PASS),
    ],
)
def test_contradictory_answers_warn(indication, dependent, meds, outcome):
    answers = clean_answers(
        about={"indication": indication, "alcohol_goal": "abstinence"},
        substances={"opioid_classes": ["none"], "currently_dependent": dependent},
        medicines={"takes_opioid_medicines": meds},
    )
    assert gate(inputs(answers=answers), "consistency").outcome == outcome


def test_consistent_opioid_answers_pass_the_consistency_gate():
    assert gate(with_use(short_acting=20), "consistency").outcome == e.PASS


def lft(alt: int, bilirubin: int) -> e.LiverTestIn:
    return e.LiverTestIn(
        taken_on=TODAY, alt=alt, alt_uln=40, ast=30, ast_uln=40, bilirubin=bilirubin
    )


@pytest.mark.parametrize(
    ("alt", "bilirubin", "outcome", "overridable"),
    [
        (121, 42, e.BLOCK, True),  # ALT > 3 x, bilirubin exactly 2 x: specialist review
        (120, 43, e.BLOCK, True),  # ALT exactly 3 x, bilirubin > 2 x: specialist review
        (121, 43, e.BLOCK, False),  # both above: possible liver injury, never overridden
        (100, 43, e.WARN, True),  # bilirubin alone above 2 x: find the cause
        (100, 42, e.PASS, True),
    ],
)
def test_liver_gate_uses_bilirubin(alt, bilirubin, outcome, overridable):
    g = gate(inputs(liver_test=lft(alt, bilirubin)), "liver")
    assert (g.outcome, g.overridable) == (outcome, overridable)


def test_taking_opioid_painkillers_now_blocks_and_may_need_them_warns():
    now = inputs(answers=clean_answers(health={"opioid_pain_relief": "now"}))
    assert gate(now, "opioid_medicines").outcome == e.BLOCK
    assert not gate(now, "opioid_medicines").overridable
    may = inputs(answers=clean_answers(health={"opioid_pain_relief": "may_need"}))
    assert gate(may, "opioid_medicines").outcome == e.PASS
    assert gate(may, "opioid_pain_relief").outcome == e.WARN


@pytest.mark.parametrize(
    ("planned_on", "outcome"),
    [
        (TODAY - dt.timedelta(days=1), e.PASS),  # yesterday: past, no longer warns
        (TODAY, e.WARN),
        (TODAY + dt.timedelta(days=30), e.WARN),
        (None, e.WARN),  # no date yet: still planned
    ],
)
def test_past_planned_procedures_no_longer_warn(planned_on, outcome):
    assert gate(inputs(procedure_dates=(planned_on,)), "opioid_pain_relief").outcome == outcome


@pytest.mark.parametrize(
    ("item9", "task_open", "outcome"),
    [(0, False, e.PASS), (1, True, e.BLOCK), (1, False, e.WARN), (3, True, e.BLOCK)],
)
def test_phq9_item9_above_zero_is_fixed_and_an_open_task_blocks(item9, task_open, outcome):
    i = inputs(answers=clean_answers(phq_9={"phq_9": item9}), self_harm_task_open=task_open)
    g = gate(i, "mood")
    assert g.outcome == outcome
    if outcome == e.BLOCK:
        assert not g.overridable
    assert e.SELF_HARM_ABOVE == 0
    assert "phq9_item9_flag_above" not in e.Thresholds.__dataclass_fields__


@pytest.mark.parametrize(
    ("answer", "outcome"), [("yes", e.PASS), ("no", e.BLOCK), ("not_sure", e.WARN), ("", e.WARN)]
)
def test_alcohol_withdrawal_must_be_complete(answer, outcome):
    answers = clean_answers(
        about={
            "indication": "alcohol",
            "alcohol_goal": "abstinence",
            "alcohol_withdrawal_complete": answer,
        }
    )
    assert gate(inputs(answers=answers), "alcohol_withdrawal").outcome == outcome


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        (
            {"urine_screen": e.UrineScreenIn(taken_on=TODAY, positive_for=("methadone",))},
            "urine_screen",
        ),
        ({"naloxone": e.NaloxoneIn(done_on=TODAY, result="positive")}, "naloxone"),
        (
            {"answers": clean_answers(substances={"currently_dependent": "yes"})},
            "opioid_dependence",
        ),
        ({"answers": clean_answers(health={"acute_hepatitis": "yes"})}, "acute_liver"),
        ({"answers": clean_answers(health={"liver_failure": "yes"})}, "acute_liver"),
    ],
)
def test_withdrawal_and_liver_failure_gates_are_not_overridable(kw, code):
    i = inputs(**kw)
    g = gate(i, code)
    assert (g.outcome, g.overridable) == (e.BLOCK, False)
    # An override on file for it is ignored: the gate still blocks the decision.
    gates = e.evaluate(i)
    assert e.overall(gates, frozenset({code})) == e.BLOCK
    assert e.blocks_decision(g, frozenset({code}))


def test_an_override_of_one_contraindication_never_covers_another():
    i = inputs(
        answers=clean_answers(health={"hypersensitivity": "yes", "severe_kidney_impairment": "yes"})
    )
    gates = e.evaluate(i)
    assert e.overall(gates, frozenset({"hypersensitivity"})) == e.BLOCK
    assert e.overall(gates, frozenset({"hypersensitivity", "organ_impairment"})) == e.WARN


def test_first_dose_only_gates_hold_the_dose_not_the_decision():
    i = inputs(safety_acknowledged=False, active_supervisors=0)
    for code in ("support", "informed_consent"):
        g = gate(i, code)
        assert g.outcome == e.BLOCK
        assert not e.blocks_decision(g)
    assert e.overall(e.evaluate(i)) == e.BLOCK  # still blocks the first dose
