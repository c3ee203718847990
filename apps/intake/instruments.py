"""Validated screening instruments: their published items, answer options, scoring and bands.

Pure Python, no database. Each instrument carries the licence notice shown with it
(DOMAIN.md section 2). Sources:
- AUDIT and AUDIT-C: Babor et al., "AUDIT: The Alcohol Use Disorders Identification Test",
  WHO 2001; the UK wording in units and the AUDIT-C cut-off of 5 follow the UK alcohol use
  screening tests published by the Office for Health Improvement and Disparities.
- DAST-10: Skinner H.A. (1982) The Drug Abuse Screening Test. Addictive Behavior 7(4):363-371.
- PHQ-9: Kroenke, Spitzer, Williams (2001) J Gen Intern Med 16:606-613.
- GAD-7: Spitzer, Kroenke, Williams, Lowe (2006) Arch Intern Med 166:1092-1097.
- COWS: Wesson D.R., Ling W. (2003) J Psychoactive Drugs 35(2):253-259.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Option = tuple[int, str]


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    options: Sequence[Option]

    @property
    def values(self) -> frozenset[int]:
        return frozenset(v for v, _ in self.options)


@dataclass(frozen=True)
class Band:
    lowest: int  # the band starts at this total (inclusive)
    code: str
    label: str


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    intro: str
    items: Sequence[Item]
    bands: Sequence[Band]
    licence: str

    @property
    def max_score(self) -> int:
        return sum(max(item.values) for item in self.items)


@dataclass(frozen=True)
class Score:
    instrument: str
    total: int
    band: str
    band_label: str


class InstrumentError(ValueError):
    """Answers that do not fit the instrument (missing item or a value it does not offer)."""


# --- Answer scales -------------------------------------------------------------------------------

FREQ_AUDIT_1: Sequence[Option] = (
    (0, "Never"),
    (1, "Monthly or less"),
    (2, "2 to 4 times a month"),
    (3, "2 to 3 times a week"),
    (4, "4 or more times a week"),
)
UNITS_AUDIT_2: Sequence[Option] = (
    (0, "0 to 2 units"),
    (1, "3 to 4 units"),
    (2, "5 to 6 units"),
    (3, "7 to 9 units"),
    (4, "10 or more units"),
)
FREQ_AUDIT: Sequence[Option] = (
    (0, "Never"),
    (1, "Less than monthly"),
    (2, "Monthly"),
    (3, "Weekly"),
    (4, "Daily or almost daily"),
)
INJURY_AUDIT: Sequence[Option] = (
    (0, "No"),
    (2, "Yes, but not in the last year"),
    (4, "Yes, during the last year"),
)
YES_NO: Sequence[Option] = ((0, "No"), (1, "Yes"))
# DAST-10 question 3 is reverse-scored: "No" scores 1.
YES_NO_REVERSED: Sequence[Option] = ((1, "No"), (0, "Yes"))
FREQ_2_WEEKS: Sequence[Option] = (
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
)


# --- AUDIT-C and AUDIT ---------------------------------------------------------------------------

_AUDIT_C_ITEMS = (
    Item("audit_1", "How often do you have a drink containing alcohol?", FREQ_AUDIT_1),
    Item(
        "audit_2",
        "How many units of alcohol do you drink on a typical day when you are drinking?",
        UNITS_AUDIT_2,
    ),
    Item(
        "audit_3",
        "How often have you had 6 or more units if female, or 8 or more if male, on a single "
        "occasion in the last year?",
        FREQ_AUDIT,
    ),
)
_AUDIT_REST = (
    Item(
        "audit_4",
        "How often during the last year have you found that you were not able to stop "
        "drinking once you had started?",
        FREQ_AUDIT,
    ),
    Item(
        "audit_5",
        # Published wording: WHO, Babor et al. (2001), The AUDIT, 2nd edition, question 5.
        "How often during the last year have you failed to do what was normally expected "
        "from you because of drinking?",
        FREQ_AUDIT,
    ),
    Item(
        "audit_6",
        "How often during the last year have you needed an alcoholic drink in the morning "
        "to get yourself going after a heavy drinking session?",
        FREQ_AUDIT,
    ),
    Item(
        "audit_7",
        "How often during the last year have you had a feeling of guilt or remorse after drinking?",
        FREQ_AUDIT,
    ),
    Item(
        "audit_8",
        "How often during the last year have you been unable to remember what happened the "
        "night before because you had been drinking?",
        FREQ_AUDIT,
    ),
    Item(
        "audit_9",
        "Have you or somebody else been injured as a result of your drinking?",
        INJURY_AUDIT,
    ),
    Item(
        "audit_10",
        "Has a relative or friend, doctor or other health worker been concerned about your "
        "drinking or suggested that you cut down?",
        INJURY_AUDIT,
    ),
)

AUDIT_C = Instrument(
    code="audit_c",
    name="AUDIT-C (alcohol)",
    intro="These questions are about your drinking. One unit is half a pint of ordinary beer, "
    "a single measure of spirits, or half a standard glass of wine.",
    items=_AUDIT_C_ITEMS,
    # The bands below 5 and from 5 follow the UK cut-off; the clinic setting can move it.
    bands=(Band(0, "negative", "Lower risk"), Band(5, "positive", "Positive: full AUDIT asked")),
    licence="AUDIT-C is in the public domain. UK wording after the Office for Health "
    "Improvement and Disparities alcohol screening tools.",
)

AUDIT = Instrument(
    code="audit",
    name="AUDIT (alcohol, full)",
    intro="Some more questions about your drinking over the last year.",
    items=_AUDIT_C_ITEMS + _AUDIT_REST,
    bands=(
        Band(0, "lower_risk", "Lower risk"),
        Band(8, "hazardous", "Increasing risk (hazardous)"),
        Band(16, "harmful", "Higher risk (harmful)"),
        Band(20, "dependence", "Possible dependence"),
    ),
    licence="AUDIT: copyright World Health Organization. Free to use; it may not be sold.",
)

DAST_10 = Instrument(
    code="dast_10",
    name="DAST-10 (drugs)",
    intro="These questions are about drug use in the last 12 months, not counting alcohol or "
    "tobacco. 'Drug use' means medicines used in a way they were not prescribed, or any "
    "other drugs.",
    items=(
        Item(
            "dast_1", "Have you used drugs other than those required for medical reasons?", YES_NO
        ),
        # Items 2, 8 and 10 in the published wording: Skinner H.A. (1982), DAST-10.
        Item("dast_2", "Do you abuse more than one drug at a time?", YES_NO),
        Item(
            "dast_3", "Are you always able to stop using drugs when you want to?", YES_NO_REVERSED
        ),
        Item("dast_4", "Have you had 'blackouts' or 'flashbacks' as a result of drug use?", YES_NO),
        Item("dast_5", "Do you ever feel bad or guilty about your drug use?", YES_NO),
        Item(
            "dast_6",
            "Does your spouse or partner (or parents) ever complain about your involvement "
            "with drugs?",
            YES_NO,
        ),
        Item("dast_7", "Have you neglected your family because of your use of drugs?", YES_NO),
        Item("dast_8", "Have you engaged in illegal activities in order to obtain drugs?", YES_NO),
        Item(
            "dast_9",
            "Have you ever had withdrawal symptoms (felt sick) when you stopped taking drugs?",
            YES_NO,
        ),
        Item(
            "dast_10",
            "Have you had medical problems as a result of your drug use (e.g. memory loss, "
            "hepatitis, convulsions, bleeding, etc.)?",
            YES_NO,
        ),
    ),
    bands=(
        Band(0, "none", "No problems reported"),
        Band(1, "low", "Low level"),
        Band(3, "moderate", "Moderate level"),
        Band(6, "substantial", "Substantial level"),
        Band(9, "severe", "Severe level"),
    ),
    licence="DAST-10 copyright 1982 Harvey A. Skinner, PhD, and the Centre for Addiction and "
    "Mental Health, Toronto. Used for non-commercial care with credit to the author.",
)

PHQ_9 = Instrument(
    code="phq_9",
    name="PHQ-9 (mood)",
    intro="Over the last 2 weeks, how often have you been bothered by any of the following "
    "problems?",
    items=(
        Item("phq_1", "Little interest or pleasure in doing things", FREQ_2_WEEKS),
        Item("phq_2", "Feeling down, depressed, or hopeless", FREQ_2_WEEKS),
        Item("phq_3", "Trouble falling or staying asleep, or sleeping too much", FREQ_2_WEEKS),
        Item("phq_4", "Feeling tired or having little energy", FREQ_2_WEEKS),
        Item("phq_5", "Poor appetite or overeating", FREQ_2_WEEKS),
        Item(
            "phq_6",
            "Feeling bad about yourself, or that you are a failure or have let yourself or your "
            "family down",
            FREQ_2_WEEKS,
        ),
        Item(
            "phq_7",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            FREQ_2_WEEKS,
        ),
        Item(
            "phq_8",
            "Moving or speaking so slowly that other people could have noticed. Or the "
            "opposite: being so fidgety or restless that you have been moving around a lot more "
            "than usual",
            FREQ_2_WEEKS,
        ),
        Item(
            "phq_9",
            "Thoughts that you would be better off dead, or of hurting yourself in some way",
            FREQ_2_WEEKS,
        ),
    ),
    bands=(
        Band(0, "minimal", "Minimal"),
        Band(5, "mild", "Mild"),
        Band(10, "moderate", "Moderate"),
        Band(15, "moderately_severe", "Moderately severe"),
        Band(20, "severe", "Severe"),
    ),
    licence="PHQ-9: developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
    "colleagues. No permission is needed to reproduce, translate, display or distribute it.",
)

GAD_7 = Instrument(
    code="gad_7",
    name="GAD-7 (anxiety)",
    intro="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        Item("gad_1", "Feeling nervous, anxious or on edge", FREQ_2_WEEKS),
        Item("gad_2", "Not being able to stop or control worrying", FREQ_2_WEEKS),
        Item("gad_3", "Worrying too much about different things", FREQ_2_WEEKS),
        Item("gad_4", "Trouble relaxing", FREQ_2_WEEKS),
        Item("gad_5", "Being so restless that it is hard to sit still", FREQ_2_WEEKS),
        Item("gad_6", "Becoming easily annoyed or irritable", FREQ_2_WEEKS),
        Item("gad_7", "Feeling afraid as if something awful might happen", FREQ_2_WEEKS),
    ),
    bands=(
        Band(0, "minimal", "Minimal"),
        Band(5, "mild", "Mild"),
        Band(10, "moderate", "Moderate"),
        Band(15, "severe", "Severe"),
    ),
    licence="GAD-7: developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
    "colleagues. No permission is needed to reproduce, translate, display or distribute it.",
)

COWS = Instrument(
    code="cows",
    name="COWS (Clinical Opiate Withdrawal Scale)",
    # Published instructions: Wesson D.R., Ling W. (2003), J Psychoactive Drugs 35(2), appendix.
    intro="For each item, circle the number that best describes the patient's signs or "
    "symptom. Rate on just the apparent relationship to opiate withdrawal. For example, if heart "
    "rate is increased because the patient was jogging just prior to assessment, the increase "
    "pulse rate would not add to the score.",
    items=(
        Item(
            "cows_pulse",
            "Resting pulse rate (beats per minute)",
            ((0, "80 or below"), (1, "81 to 100"), (2, "101 to 120"), (4, "Over 120")),
        ),
        Item(
            "cows_sweating",
            "Sweating (past half hour, not explained by room temperature or activity)",
            (
                (0, "No chills or flushing"),
                (1, "Subjective chills or flushing"),
                (2, "Flushed or moist face"),
                (3, "Beads of sweat on brow or face"),
                (4, "Sweat streaming off face"),
            ),
        ),
        Item(
            "cows_restlessness",
            "Restlessness during the assessment",
            (
                (0, "Able to sit still"),
                (1, "Reports difficulty sitting still, but is able to"),
                (3, "Frequent shifting or extraneous movements of legs or arms"),
                (5, "Unable to sit still for more than a few seconds"),
            ),
        ),
        Item(
            "cows_pupils",
            "Pupil size",
            (
                (0, "Pinned or normal for room light"),
                (1, "Possibly larger than normal for room light"),
                (2, "Moderately dilated"),
                (5, "So dilated that only the rim of the iris is visible"),
            ),
        ),
        Item(
            "cows_aches",
            "Bone or joint aches (additional, from opioid withdrawal only)",
            (
                (0, "Not present"),
                (1, "Mild diffuse discomfort"),
                (2, "Severe diffuse aching of joints or muscles"),
                (4, "Rubbing joints or muscles and unable to sit still because of discomfort"),
            ),
        ),
        Item(
            "cows_runny_nose",
            "Runny nose or tearing (not from cold symptoms or allergies)",
            (
                (0, "Not present"),
                (1, "Nasal stuffiness or unusually moist eyes"),
                (2, "Nose running or tearing"),
                (4, "Nose constantly running or tears streaming down cheeks"),
            ),
        ),
        Item(
            "cows_gi_upset",
            "Stomach or gut upset (past half hour)",
            (
                (0, "No symptoms"),
                (1, "Stomach cramps"),
                (2, "Nausea or loose stool"),
                (3, "Vomiting or diarrhoea"),
                (5, "Multiple episodes of diarrhoea or vomiting"),
            ),
        ),
        Item(
            "cows_tremor",
            "Tremor (outstretched hands)",
            (
                (0, "No tremor"),
                (1, "Tremor can be felt, but not observed"),
                (2, "Slight tremor observable"),
                (4, "Gross tremor or muscle twitching"),
            ),
        ),
        Item(
            "cows_yawning",
            "Yawning during the assessment",
            (
                (0, "No yawning"),
                (1, "Yawning once or twice"),
                (2, "Yawning three or more times"),
                (4, "Yawning several times a minute"),
            ),
        ),
        Item(
            "cows_anxiety",
            "Anxiety or irritability",
            (
                (0, "None"),
                (1, "Reports increasing irritability or anxiousness"),
                (2, "Obviously irritable or anxious"),
                (4, "So irritable or anxious that taking part in the assessment is difficult"),
            ),
        ),
        Item(
            "cows_gooseflesh",
            "Gooseflesh skin",
            (
                (0, "Skin is smooth"),
                (3, "Piloerection can be felt, or hairs standing up on arms"),
                (5, "Prominent piloerection"),
            ),
        ),
    ),
    bands=(
        Band(0, "none", "Below the mild range"),
        Band(5, "mild", "Mild"),
        Band(13, "moderate", "Moderate"),
        Band(25, "moderately_severe", "Moderately severe"),
        Band(37, "severe", "Severe"),
    ),
    licence="COWS: Wesson and Ling (2003). Widely reproduced for clinical use.",
)

INSTRUMENTS: dict[str, Instrument] = {
    i.code: i for i in (AUDIT_C, AUDIT, DAST_10, PHQ_9, GAD_7, COWS)
}


# --- Scoring -------------------------------------------------------------------------------------


def band_for(instrument: Instrument, total: int) -> Band:
    """The band whose range holds `total` (bands are listed from the lowest)."""
    if not 0 <= total <= instrument.max_score:
        raise InstrumentError(f"{instrument.code}: total {total} is out of range")
    found = instrument.bands[0]
    for band in instrument.bands:
        if total >= band.lowest:
            found = band
    return found


def score(instrument: Instrument, answers: Mapping[str, int]) -> Score:
    """Sum an instrument's item values (each must be one the item offers) and band the total."""
    total = 0
    for item in instrument.items:
        if item.key not in answers:
            raise InstrumentError(f"{instrument.code}: {item.key} is not answered")
        value = answers[item.key]
        if value not in item.values:
            raise InstrumentError(f"{instrument.code}: {item.key} cannot be {value!r}")
        total += value
    band = band_for(instrument, total)
    return Score(instrument.code, total, band.code, band.label)


def audit_c_is_positive(total: int, *, cut_off: int = 5) -> bool:
    """UK: an AUDIT-C score of 5 or more asks the full AUDIT (the cut-off is a clinic setting)."""
    return total >= cut_off


def phq9_self_harm_flag(answers: Mapping[str, int], *, above: int = 0) -> bool:
    """PHQ-9 question 9 (thoughts of self-harm) above the threshold needs a clinician now."""
    return int(answers.get("phq_9", 0)) > above
