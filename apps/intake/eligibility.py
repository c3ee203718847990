"""The eligibility engine: a pure function from what is known about a patient to one outcome per
gate of DOMAIN.md section 2. No database, no clock: `today` is an input. The caller stores the
result together with `Inputs.as_json()`, so every decision can be explained later.

Outcomes: PASS, WARN (the clinician should read it), BLOCK (the first dose cannot be given until
it passes or a clinician overrides it with a written reason; `overridable=False` gates cannot be
overridden).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

PASS = "pass"  # noqa: S105  # nosec B105 - an outcome code, not a password
WARN = "warn"
BLOCK = "block"

SMPC = "UK SmPC, naltrexone hydrochloride 50 mg tablets"
TA115 = "NICE TA115 (naltrexone for opioid dependence)"
CG115 = "NICE CG115 (alcohol-use disorders)"
ORANGE = "Drug misuse and dependence: UK guidelines on clinical management (2017)"
TIP63 = "SAMHSA TIP 63, chapter on naltrexone"
CLINIC = "Clinic policy (DOMAIN.md section 2)"


@dataclass(frozen=True)
class Thresholds:
    """The clinic settings the engine reads (ClinicSettings, with the DOMAIN.md defaults)."""

    min_age_years: int = 18
    short_acting_free_days: int = 7
    short_acting_warn_days: int = 10
    long_acting_free_days: int = 10
    long_acting_warn_days: int = 14
    urine_screen_max_age_days: int = 3
    naloxone_challenge_policy: str = "always"  # or "if_unverified"
    liver_test_max_age_days: int = 28
    liver_specialist_multiple: Decimal = Decimal("3.00")
    liver_block_multiple: Decimal = Decimal("5.00")
    surgery_pause_hours: int = 72
    audit_c_positive_score: int = 5
    phq9_item9_flag_above: int = 0


@dataclass(frozen=True)
class UrineScreenIn:
    taken_on: dt.date
    positive_for: tuple[str, ...]


@dataclass(frozen=True)
class NaloxoneIn:
    done_on: dt.date
    result: str  # "negative" | "positive"


@dataclass(frozen=True)
class LiverTestIn:
    taken_on: dt.date
    alt: int
    alt_uln: int
    ast: int
    ast_uln: int


@dataclass(frozen=True)
class Inputs:
    today: dt.date
    answers: Mapping[str, Mapping[str, Any]]
    thresholds: Thresholds = field(default_factory=Thresholds)
    urine_screen: UrineScreenIn | None = None
    naloxone: NaloxoneIn | None = None
    liver_test: LiverTestIn | None = None
    planned_opioid_procedure: bool = False
    pregnancy_advice_given: bool = False
    safety_acknowledged: bool = False
    active_supervisors: int = 0
    clinic_supervision: bool = False
    counselling_plan: str = ""

    def as_json(self) -> dict[str, Any]:
        """The inputs as stored beside the result (dates as ISO strings, decimals as text)."""
        data: dict[str, Any] = _jsonable(asdict(self))
        return data


@dataclass(frozen=True)
class Gate:
    code: str
    title: str
    outcome: str
    reason: str
    source: str
    value: str = ""
    overridable: bool = True


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None


def _yes(section: Mapping[str, Any], key: str) -> bool:
    return section.get(key) in (True, "yes")


def _age_on(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


# --- The gates ----------------------------------------------------------------------------------


def gate_age(i: Inputs) -> Gate:
    born = _date(i.answers.get("about", {}).get("date_of_birth"))
    title, src = "Age", SMPC
    if born is None:
        return Gate("age", title, BLOCK, "Date of birth not given yet.", src)
    age = _age_on(born, i.today)
    minimum = i.thresholds.min_age_years
    if age < minimum:
        return Gate(
            "age", title, BLOCK, f"Under {minimum}: naltrexone is not licensed.", src, str(age)
        )
    return Gate("age", title, PASS, f"{minimum} or over.", src, str(age))


def uses_opioids(i: Inputs) -> bool:
    """The patient reported opioid use (any kind) or is treated for opioid dependence."""
    about = i.answers.get("about", {})
    kind = i.answers.get("substances", {}).get("last_opioid_kind", "")
    return about.get("indication") in ("opioids", "both") or kind not in ("", "none")


def gate_last_opioid(i: Inputs) -> Gate:
    title = "Time since last opioid use"
    section = i.answers.get("substances", {})
    kind = section.get("last_opioid_kind", "")
    if not uses_opioids(i) or kind == "none":
        return Gate("last_opioid", title, PASS, "No opioid use reported.", SMPC, "none")
    last = _date(section.get("last_opioid_date"))
    if last is None:
        return Gate("last_opioid", title, BLOCK, "Date of last opioid use not given.", SMPC)
    t = i.thresholds
    days = (i.today - last).days
    if kind in ("methadone", "buprenorphine"):
        minimum, warn_below, what = t.long_acting_free_days, t.long_acting_warn_days, kind
    else:
        minimum, warn_below, what = (
            t.short_acting_free_days,
            t.short_acting_warn_days,
            "short-acting opioids",
        )
    value = f"{_days(days)} ({what})"
    if days < minimum:
        reason = (
            f"Last use of {what} {_days(days)} ago; at least {_days(minimum)} are needed, or "
            "naltrexone brings on sudden, severe withdrawal."
        )
        return Gate("last_opioid", title, BLOCK, reason, SMPC, value)
    if days < warn_below:
        reason = (
            f"Last use of {what} {_days(days)} ago: past the minimum of {_days(minimum)}, but "
            f"under {_days(warn_below)}. Confirm with a urine screen and naloxone challenge."
        )
        return Gate("last_opioid", title, WARN, reason, ORANGE, value)
    return Gate("last_opioid", title, PASS, f"Last use of {what} {_days(days)} ago.", SMPC, value)


def _urine_verified(i: Inputs) -> bool:
    u = i.urine_screen
    return (
        u is not None
        and not u.positive_for
        and (i.today - u.taken_on).days <= i.thresholds.urine_screen_max_age_days
    )


def gate_urine_screen(i: Inputs) -> Gate:
    title, src = "Urine drug screen", SMPC
    u = i.urine_screen
    if u is None:
        return Gate("urine_screen", title, BLOCK, "No urine drug screen recorded.", src)
    age = (i.today - u.taken_on).days
    value = f"taken {_days(age)} ago"
    if u.positive_for:
        names = ", ".join(u.positive_for)
        return Gate(
            "urine_screen", title, BLOCK, f"Positive for: {names}.", src, f"{value}; positive"
        )
    if age > i.thresholds.urine_screen_max_age_days:
        reason = (
            f"Negative, but {_days(age)} old: the first dose needs a result at most "
            f"{_days(i.thresholds.urine_screen_max_age_days)} old. Repeat the screen."
        )
        return Gate("urine_screen", title, BLOCK, reason, CLINIC, value)
    return Gate("urine_screen", title, PASS, "Negative for all opioids.", src, value)


def gate_naloxone(i: Inputs) -> Gate:
    title, src = "Naloxone challenge", SMPC
    n = i.naloxone
    if n is not None and n.result == "positive":
        return Gate(
            "naloxone",
            title,
            BLOCK,
            "Positive: withdrawal signs after naloxone. Do not start.",
            src,
            "positive",
        )
    if n is not None:
        return Gate("naloxone", title, PASS, "Negative.", src, "negative")
    if not uses_opioids(i):
        return Gate("naloxone", title, PASS, "Not needed: no opioid use reported.", src)
    if i.thresholds.naloxone_challenge_policy == "if_unverified" and _urine_verified(i):
        return Gate(
            "naloxone",
            title,
            PASS,
            "Not needed: the opioid-free interval is confirmed by a recent negative urine "
            "screen (clinic policy).",
            CLINIC,
        )
    return Gate("naloxone", title, BLOCK, "No naloxone challenge recorded.", src)


def gate_liver(i: Inputs) -> Gate:
    title, src = "Liver blood test", SMPC
    lft = i.liver_test
    t = i.thresholds
    if lft is None:
        return Gate("liver", title, BLOCK, "No baseline liver blood test recorded.", src)
    age = (i.today - lft.taken_on).days
    ratio = max(Decimal(lft.alt) / Decimal(lft.alt_uln), Decimal(lft.ast) / Decimal(lft.ast_uln))
    value = f"{ratio.quantize(Decimal('0.01'))} x upper limit; taken {_days(age)} ago"
    if ratio >= t.liver_block_multiple:
        reason = f"ALT or AST at or above {t.liver_block_multiple} times the upper limit of normal."
        return Gate("liver", title, BLOCK, reason, src, value)
    if ratio >= t.liver_specialist_multiple:
        reason = (
            f"ALT or AST at or above {t.liver_specialist_multiple} times the upper limit of "
            "normal: needs specialist review before starting."
        )
        return Gate("liver", title, BLOCK, reason, src, value)
    if age > t.liver_test_max_age_days:
        reason = (
            f"The result is {_days(age)} old; a baseline at most "
            f"{_days(t.liver_test_max_age_days)} old is needed. Repeat the test."
        )
        return Gate("liver", title, BLOCK, reason, CLINIC, value)
    return Gate("liver", title, PASS, "Within the accepted range.", src, value)


CONTRAINDICATIONS = {
    "acute_hepatitis": "acute hepatitis",
    "liver_failure": "liver failure",
    "severe_liver_impairment": "severe liver impairment",
    "severe_kidney_impairment": "severe kidney impairment",
    "hypersensitivity": "allergy to naltrexone",
}


def gate_contraindications(i: Inputs) -> Gate:
    title, src = "Contraindications", SMPC
    health = i.answers.get("health", {})
    meds = i.answers.get("medicines", {})
    subs = i.answers.get("substances", {})
    found = [label for key, label in CONTRAINDICATIONS.items() if _yes(health, key)]
    if _yes(subs, "currently_dependent"):
        found.append("current opioid dependence")
    if _yes(meds, "takes_opioid_medicines"):
        found.append("taking opioid-containing medicines or methadone")
    if found:
        return Gate("contraindications", title, BLOCK, "Reported: " + "; ".join(found) + ".", src)
    return Gate("contraindications", title, PASS, "None reported.", src)


def gate_opioid_pain_relief(i: Inputs) -> Gate:
    title, src = "Planned opioid pain relief", SMPC
    health = i.answers.get("health", {})
    if (
        _yes(health, "planned_surgery")
        or _yes(health, "chronic_pain_opioids")
        or (i.planned_opioid_procedure)
    ):
        reason = (
            "Planned surgery or opioid pain relief: plan a pause "
            f"(stop {i.thresholds.surgery_pause_hours} hours before elective surgery)."
        )
        return Gate("opioid_pain_relief", title, WARN, reason, src)
    return Gate("opioid_pain_relief", title, PASS, "None planned.", src)


def gate_mood(i: Inputs) -> Gate:
    title, src = "Mood (PHQ-9 question 9)", "PHQ-9 scoring instructions"
    phq = i.answers.get("phq_9", {})
    if "phq_9" not in phq:
        return Gate("mood", title, WARN, "The mood questions are not answered yet.", src)
    value = int(phq["phq_9"])
    if value > i.thresholds.phq9_item9_flag_above:
        return Gate(
            "mood",
            title,
            WARN,
            "Thoughts of self-harm reported: an urgent task has been raised.",
            src,
            str(value),
        )
    return Gate("mood", title, PASS, "No thoughts of self-harm reported.", src, str(value))


def gate_pregnancy(i: Inputs) -> Gate:
    title, src = "Pregnancy or breastfeeding", SMPC
    if i.answers.get("health", {}).get("pregnancy") in ("pregnant", "breastfeeding"):
        advice = (
            "specialist advice recorded." if i.pregnancy_advice_given else "get specialist advice."
        )
        return Gate("pregnancy", title, WARN, f"Pregnant or breastfeeding: {advice}", src)
    return Gate("pregnancy", title, PASS, "Not pregnant or breastfeeding.", src)


def gate_alcohol_goal(i: Inputs) -> Gate:
    title, src = "Alcohol goal", CG115
    about = i.answers.get("about", {})
    if about.get("indication") in ("alcohol", "both") and about.get("alcohol_goal") == "reduction":
        reason = (
            "Goal is to cut down: off-label for naltrexone in the UK (nalmefene is licensed for "
            "reduction). The clinician must confirm."
        )
        return Gate("alcohol_goal", title, WARN, reason, CG115)
    return Gate("alcohol_goal", title, PASS, "Licensed use.", src)


def gate_support(i: Inputs) -> Gate:
    title, src = "Supervision and counselling", TA115
    has_supervision = i.active_supervisors > 0 or i.clinic_supervision
    missing = []
    if not has_supervision:
        missing.append(
            "no supervisor has accepted and been confirmed, and the clinic does not supervise"
        )
    if not i.counselling_plan:
        missing.append("no counselling plan recorded")
    if missing:
        return Gate(
            "support", title, BLOCK, "; ".join(missing).capitalize() + ".", src, overridable=False
        )
    return Gate("support", title, PASS, "Supervision and counselling in place.", src)


def gate_informed_consent(i: Inputs) -> Gate:
    title, src = "Safety messages acknowledged", TIP63
    if not i.safety_acknowledged:
        return Gate(
            "informed_consent",
            title,
            BLOCK,
            "The patient has not acknowledged the current safety messages.",
            src,
            overridable=False,
        )
    return Gate("informed_consent", title, PASS, "Acknowledged.", src)


GATES = (
    gate_age,
    gate_last_opioid,
    gate_urine_screen,
    gate_naloxone,
    gate_liver,
    gate_contraindications,
    gate_opioid_pain_relief,
    gate_mood,
    gate_pregnancy,
    gate_alcohol_goal,
    gate_support,
    gate_informed_consent,
)
# Gates that only hold the first dose back; the clinician can decide eligibility before them.
FIRST_DOSE_ONLY = frozenset({"support", "informed_consent"})


def evaluate(inputs: Inputs) -> list[Gate]:
    """Every gate, in a fixed order."""
    return [gate(inputs) for gate in GATES]


def overall(gates: list[Gate], overridden: frozenset[str] = frozenset()) -> str:
    """BLOCK if any gate blocks and is not overridden, else WARN if any warns, else PASS."""
    outcomes = {g.outcome for g in gates if not (g.outcome == BLOCK and g.code in overridden)}
    if BLOCK in outcomes:
        return BLOCK
    if WARN in outcomes or any(g.outcome == BLOCK for g in gates):
        return WARN
    return PASS
