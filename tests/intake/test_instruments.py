"""Instrument scoring: every band boundary from the published scoring, table-driven."""

from __future__ import annotations

import pytest

from apps.intake import instruments as ins


def answers_totalling(instrument: ins.Instrument, total: int) -> dict[str, int]:
    """Answers that add up to `total`, filling items greedily with the values they offer."""
    remaining = total
    out: dict[str, int] = {}
    for item in instrument.items:
        # the largest offered value that does not overshoot, keeping the rest reachable
        for value in sorted(item.values, reverse=True):
            if value <= remaining:
                out[item.key] = value
                remaining -= value
                break
    assert remaining == 0, f"cannot build {total} for {instrument.code}"
    return out


BANDS = [
    # AUDIT-C: UK cut-off 5
    (ins.AUDIT_C, 0, "negative"),
    (ins.AUDIT_C, 4, "negative"),
    (ins.AUDIT_C, 5, "positive"),
    (ins.AUDIT_C, 12, "positive"),
    # AUDIT: 0-7 lower risk; 8-15 hazardous; 16-19 harmful; 20+ possible dependence
    (ins.AUDIT, 0, "lower_risk"),
    (ins.AUDIT, 7, "lower_risk"),
    (ins.AUDIT, 8, "hazardous"),
    (ins.AUDIT, 15, "hazardous"),
    (ins.AUDIT, 16, "harmful"),
    (ins.AUDIT, 19, "harmful"),
    (ins.AUDIT, 20, "dependence"),
    (ins.AUDIT, 40, "dependence"),
    # DAST-10: 0 none; 1-2 low; 3-5 moderate; 6-8 substantial; 9-10 severe
    (ins.DAST_10, 0, "none"),
    (ins.DAST_10, 1, "low"),
    (ins.DAST_10, 2, "low"),
    (ins.DAST_10, 3, "moderate"),
    (ins.DAST_10, 5, "moderate"),
    (ins.DAST_10, 6, "substantial"),
    (ins.DAST_10, 8, "substantial"),
    (ins.DAST_10, 9, "severe"),
    (ins.DAST_10, 10, "severe"),
    # PHQ-9: 5 mild; 10 moderate; 15 moderately severe; 20 severe
    (ins.PHQ_9, 0, "minimal"),
    (ins.PHQ_9, 4, "minimal"),
    (ins.PHQ_9, 5, "mild"),
    (ins.PHQ_9, 9, "mild"),
    (ins.PHQ_9, 10, "moderate"),
    (ins.PHQ_9, 14, "moderate"),
    (ins.PHQ_9, 15, "moderately_severe"),
    (ins.PHQ_9, 19, "moderately_severe"),
    (ins.PHQ_9, 20, "severe"),
    (ins.PHQ_9, 27, "severe"),
    # GAD-7: 5 mild; 10 moderate; 15 severe
    (ins.GAD_7, 0, "minimal"),
    (ins.GAD_7, 4, "minimal"),
    (ins.GAD_7, 5, "mild"),
    (ins.GAD_7, 9, "mild"),
    (ins.GAD_7, 10, "moderate"),
    (ins.GAD_7, 14, "moderate"),
    (ins.GAD_7, 15, "severe"),
    (ins.GAD_7, 21, "severe"),
    # COWS: 5-12 mild; 13-24 moderate; 25-36 moderately severe; over 36 severe
    (ins.COWS, 0, "none"),
    (ins.COWS, 4, "none"),
    (ins.COWS, 5, "mild"),
    (ins.COWS, 12, "mild"),
    (ins.COWS, 13, "moderate"),
    (ins.COWS, 24, "moderate"),
    (ins.COWS, 25, "moderately_severe"),
    (ins.COWS, 36, "moderately_severe"),
    (ins.COWS, 37, "severe"),
    (ins.COWS, 48, "severe"),
]


@pytest.mark.parametrize(("instrument", "total", "band"), BANDS)
def test_band_boundaries(instrument, total, band):
    assert ins.band_for(instrument, total).code == band
    scored = ins.score(instrument, answers_totalling(instrument, total))
    assert (scored.total, scored.band) == (total, band)


@pytest.mark.parametrize(
    ("instrument", "items", "maximum"),
    [
        (ins.AUDIT_C, 3, 12),
        (ins.AUDIT, 10, 40),
        (ins.DAST_10, 10, 10),
        (ins.PHQ_9, 9, 27),
        (ins.GAD_7, 7, 21),
        (ins.COWS, 11, 48),
    ],
)
def test_published_item_counts_and_ranges(instrument, items, maximum):
    assert len(instrument.items) == items
    assert instrument.max_score == maximum
    assert instrument.licence


def test_dast_item_3_is_reverse_scored():
    all_no = {item.key: 0 for item in ins.DAST_10.items}
    # "No" to every question is 0 points for every item except 3, where "No" scores 1.
    answers = {k: (1 if k == "dast_3" else 0) for k in all_no}
    assert ins.score(ins.DAST_10, answers).total == 1
    labels = dict(ins.DAST_10.items[2].options)
    assert labels[1] == "No"
    assert labels[0] == "Yes"


def test_audit_injury_items_score_0_2_4_only():
    item = ins.AUDIT.items[8]
    assert item.values == frozenset({0, 2, 4})
    answers = {i.key: 0 for i in ins.AUDIT.items} | {"audit_9": 3}
    with pytest.raises(ins.InstrumentError):
        ins.score(ins.AUDIT, answers)


def test_missing_item_is_refused():
    with pytest.raises(ins.InstrumentError):
        ins.score(ins.GAD_7, {"gad_1": 1})


@pytest.mark.parametrize(
    ("total", "cut_off", "positive"), [(4, 5, False), (5, 5, True), (5, 6, False), (6, 6, True)]
)
def test_audit_c_cut_off(total, cut_off, positive):
    assert ins.audit_c_is_positive(total, cut_off=cut_off) is positive


@pytest.mark.parametrize(("item9", "flag"), [(0, False), (1, True), (2, True), (3, True)])
def test_phq9_item9_above_zero_flags(item9, flag):
    assert ins.phq9_self_harm_flag({"phq_9": item9}) is flag


def test_out_of_range_total_is_refused():
    with pytest.raises(ins.InstrumentError):
        ins.band_for(ins.PHQ_9, 28)
