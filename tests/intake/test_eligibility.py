"""The eligibility engine, gate by gate, at each boundary (pure: no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from apps.intake import eligibility as e

TODAY = dt.date(2026, 3, 30)  # the day after the UK clocks go forward


def clean_answers(**overrides):
    answers: dict[str, dict[str, object]] = {
        "about": {"date_of_birth": "1990-01-01", "indication": "opioids", "alcohol_goal": ""},
        "substances": {
            "opioid_classes": ["short_acting"],
            "last_short_acting": (TODAY - dt.timedelta(days=20)).isoformat(),
            "currently_dependent": "no",
        },
        "medicines": {"takes_opioid_medicines": "no"},
        "health": {
            "acute_hepatitis": "no",
            "liver_failure": "no",
            "severe_liver_impairment": "no",
            "severe_kidney_impairment": "no",
            "hypersensitivity": "no",
            "pregnancy": "no",
            "planned_surgery": "no",
            "opioid_pain_relief": "no",
        },
        "phq_9": {"phq_9": 0},
    }
    for section, values in overrides.items():
        answers[section] = {**answers.get(section, {}), **values}
    return answers


def inputs(**kw):
    base = e.Inputs(
        today=TODAY,
        answers=clean_answers(),
        urine_screen=e.UrineScreenIn(taken_on=TODAY, positive_for=()),
        naloxone=e.NaloxoneIn(done_on=TODAY, result="negative"),
        liver_test=e.LiverTestIn(taken_on=TODAY, alt=30, alt_uln=40, ast=30, ast_uln=40),
        safety_acknowledged=True,
        active_supervisors=1,
        counselling_plan="clinic",
    )
    return replace(base, **kw)


def gate(i, code):
    return next(g for g in e.evaluate(i) if g.code == code)


def test_a_clean_patient_passes_every_gate_with_a_reason_and_source():
    gates = e.evaluate(inputs())
    assert {g.outcome for g in gates} == {e.PASS}
    assert all(g.reason and g.source for g in gates)
    assert e.overall(gates) == e.PASS


@pytest.mark.parametrize(
    ("born", "outcome"),
    [
        ("2008-03-30", e.PASS),  # 18 today
        ("2008-03-31", e.BLOCK),  # 18 tomorrow
        ("2010-01-01", e.BLOCK),
    ],
)
def test_age_gate(born, outcome):
    i = inputs(answers=clean_answers(about={"date_of_birth": born}))
    assert gate(i, "age").outcome == outcome


def test_age_gate_blocks_without_a_date_of_birth():
    answers = clean_answers()
    answers["about"].pop("date_of_birth")
    assert gate(inputs(answers=answers), "age").outcome == e.BLOCK


@pytest.mark.parametrize(
    ("kind", "days", "outcome"),
    [
        ("short_acting", 6, e.BLOCK),
        ("short_acting", 7, e.WARN),
        ("short_acting", 9, e.WARN),
        ("short_acting", 10, e.PASS),
        ("methadone", 9, e.BLOCK),
        ("methadone", 10, e.WARN),
        ("methadone", 13, e.WARN),
        ("methadone", 14, e.PASS),
        ("buprenorphine_daily", 9, e.BLOCK),
        ("buprenorphine_daily", 10, e.WARN),
        ("buprenorphine_daily", 14, e.PASS),
    ],
)
def test_last_opioid_use_gate(kind, days, outcome):
    last = (TODAY - dt.timedelta(days=days)).isoformat()
    i = inputs(answers=clean_answers(substances={"opioid_classes": [kind], f"last_{kind}": last}))
    assert gate(i, "last_opioid").outcome == outcome


def test_last_opioid_thresholds_come_from_settings():
    last = (TODAY - dt.timedelta(days=7)).isoformat()
    answers = clean_answers(substances={"last_short_acting": last})
    strict = e.Thresholds(short_acting_free_days=8, short_acting_warn_days=12)
    assert gate(inputs(answers=answers), "last_opioid").outcome == e.WARN
    assert gate(inputs(answers=answers, thresholds=strict), "last_opioid").outcome == e.BLOCK


def test_alcohol_only_patient_without_opioid_use_skips_opioid_gates():
    answers = clean_answers(
        about={"indication": "alcohol", "alcohol_goal": "abstinence"},
        substances={"opioid_classes": ["none"], "last_short_acting": None},
    )
    i = inputs(answers=answers, naloxone=None)
    assert gate(i, "last_opioid").outcome == e.PASS
    assert gate(i, "naloxone").outcome == e.PASS


@pytest.mark.parametrize(("age", "outcome"), [(0, e.PASS), (3, e.PASS), (4, e.BLOCK)])
def test_urine_screen_at_most_3_days_old(age, outcome):
    uds = e.UrineScreenIn(taken_on=TODAY - dt.timedelta(days=age), positive_for=())
    assert gate(inputs(urine_screen=uds), "urine_screen").outcome == outcome


@pytest.mark.parametrize(
    "analyte", ["opiates", "methadone", "buprenorphine", "fentanyl", "tramadol"]
)
def test_urine_screen_positive_for_any_opioid_blocks(analyte):
    uds = e.UrineScreenIn(taken_on=TODAY, positive_for=(analyte,))
    g = gate(inputs(urine_screen=uds), "urine_screen")
    assert g.outcome == e.BLOCK
    assert analyte in g.reason


def test_urine_screen_missing_blocks():
    assert gate(inputs(urine_screen=None), "urine_screen").outcome == e.BLOCK


def test_naloxone_positive_blocks_and_missing_blocks_under_always_policy():
    assert gate(inputs(naloxone=e.NaloxoneIn(TODAY, "positive")), "naloxone").outcome == e.BLOCK
    assert gate(inputs(naloxone=None), "naloxone").outcome == e.BLOCK


def test_naloxone_not_needed_when_policy_accepts_a_fresh_negative_urine_screen():
    policy = e.Thresholds(naloxone_challenge_policy="if_unverified")
    assert gate(inputs(naloxone=None, thresholds=policy), "naloxone").outcome == e.PASS
    stale = e.UrineScreenIn(taken_on=TODAY - dt.timedelta(days=4), positive_for=())
    i = inputs(naloxone=None, thresholds=policy, urine_screen=stale)
    assert gate(i, "naloxone").outcome == e.BLOCK


@pytest.mark.parametrize(
    ("alt", "ast", "outcome", "words"),
    [
        (119, 30, e.PASS, "Within"),  # 2.975 x ULN 40
        (120, 30, e.BLOCK, "specialist"),  # 3.0 x
        (30, 119, e.PASS, "Within"),
        (30, 120, e.BLOCK, "specialist"),
        (199, 30, e.BLOCK, "specialist"),  # 4.975 x
        (200, 30, e.BLOCK, "5.00 times"),  # 5.0 x
    ],
)
def test_liver_multiples_of_the_upper_limit(alt, ast, outcome, words):
    lft = e.LiverTestIn(taken_on=TODAY, alt=alt, alt_uln=40, ast=ast, ast_uln=40)
    g = gate(inputs(liver_test=lft), "liver")
    assert g.outcome == outcome
    assert words in g.reason


def test_liver_2_99_vs_3_0_times_upper_limit():
    at_299 = e.LiverTestIn(taken_on=TODAY, alt=299, alt_uln=100, ast=10, ast_uln=100)
    at_300 = e.LiverTestIn(taken_on=TODAY, alt=300, alt_uln=100, ast=10, ast_uln=100)
    assert gate(inputs(liver_test=at_299), "liver").outcome == e.PASS
    assert gate(inputs(liver_test=at_300), "liver").outcome == e.BLOCK


@pytest.mark.parametrize(("age", "outcome"), [(28, e.PASS), (29, e.BLOCK)])
def test_liver_test_at_most_28_days_old(age, outcome):
    lft = e.LiverTestIn(
        taken_on=TODAY - dt.timedelta(days=age), alt=30, alt_uln=40, ast=30, ast_uln=40
    )
    assert gate(inputs(liver_test=lft), "liver").outcome == outcome


def test_liver_multiples_come_from_settings():
    lft = e.LiverTestIn(taken_on=TODAY, alt=100, alt_uln=40, ast=30, ast_uln=40)  # 2.5 x
    strict = e.Thresholds(liver_specialist_multiple=Decimal("2.5"))
    assert gate(inputs(liver_test=lft), "liver").outcome == e.PASS
    assert gate(inputs(liver_test=lft, thresholds=strict), "liver").outcome == e.BLOCK


def test_missing_liver_test_blocks():
    assert gate(inputs(liver_test=None), "liver").outcome == e.BLOCK


@pytest.mark.parametrize(
    ("section", "key", "code", "overridable"),
    [
        ("health", "acute_hepatitis", "acute_liver", False),
        ("health", "liver_failure", "acute_liver", False),
        ("health", "severe_liver_impairment", "organ_impairment", True),
        ("health", "severe_kidney_impairment", "organ_impairment", True),
        ("health", "hypersensitivity", "hypersensitivity", True),
        ("substances", "currently_dependent", "opioid_dependence", False),
        ("medicines", "takes_opioid_medicines", "opioid_medicines", False),
    ],
)
def test_each_contraindication_blocks_its_own_gate(section, key, code, overridable):
    i = inputs(answers=clean_answers(**{section: {key: "yes"}}))
    g = gate(i, code)
    assert g.outcome == e.BLOCK
    assert g.overridable is overridable
    # One gate per contraindication: no other contraindication gate blocks.
    others = {"acute_liver", "organ_impairment", "hypersensitivity", "opioid_dependence"}
    others |= {"opioid_medicines"}
    assert {x.code for x in e.evaluate(i) if x.outcome == e.BLOCK} & others == {code}


def test_planned_opioid_pain_relief_warns_and_says_72_hours():
    g = gate(inputs(answers=clean_answers(health={"planned_surgery": "yes"})), "opioid_pain_relief")
    assert g.outcome == e.WARN
    assert "72 hours" in g.reason
    upcoming = inputs(procedure_dates=(TODAY,))
    assert gate(upcoming, "opioid_pain_relief").outcome == e.WARN


@pytest.mark.parametrize(("item9", "outcome"), [(0, e.PASS), (1, e.WARN), (3, e.WARN)])
def test_mood_gate_flags_phq9_item9_above_zero(item9, outcome):
    assert gate(inputs(answers=clean_answers(phq_9={"phq_9": item9})), "mood").outcome == outcome


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [("pregnant", e.WARN), ("breastfeeding", e.WARN), ("no", e.PASS), ("not_applicable", e.PASS)],
)
def test_pregnancy_warns(answer, outcome):
    assert (
        gate(inputs(answers=clean_answers(health={"pregnancy": answer})), "pregnancy").outcome
        == outcome
    )


def test_alcohol_reduction_is_an_off_label_warning():
    answers = clean_answers(about={"indication": "alcohol", "alcohol_goal": "reduction"})
    g = gate(inputs(answers=answers), "alcohol_goal")
    assert g.outcome == e.WARN
    assert "off-label" in g.reason
    assert g.source == e.CG115


@pytest.mark.parametrize(
    ("supervisors", "clinic", "plan", "outcome"),
    [
        (1, False, "clinic", e.PASS),
        (0, True, "outside", e.PASS),
        (0, False, "clinic", e.BLOCK),
        (1, False, "", e.BLOCK),
    ],
)
def test_support_gate(supervisors, clinic, plan, outcome):
    i = inputs(active_supervisors=supervisors, clinic_supervision=clinic, counselling_plan=plan)
    g = gate(i, "support")
    assert g.outcome == outcome
    if outcome == e.BLOCK:
        assert not g.overridable


def test_informed_consent_gate_needs_the_safety_acknowledgement():
    g = gate(inputs(safety_acknowledged=False), "informed_consent")
    assert g.outcome == e.BLOCK
    assert not g.overridable
    assert gate(inputs(), "informed_consent").outcome == e.PASS


def test_overall_counts_an_overridden_block_as_a_warning():
    gates = e.evaluate(inputs(liver_test=None))
    assert e.overall(gates) == e.BLOCK
    assert e.overall(gates, frozenset({"liver"})) == e.WARN


def test_inputs_serialise_to_json_for_storage():
    data = inputs().as_json()
    assert data["today"] == "2026-03-30"
    assert data["thresholds"]["liver_specialist_multiple"] == "3.00"
    assert data["urine_screen"]["taken_on"] == "2026-03-30"
