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
HYS_LAW = 'FDA guidance on drug-induced liver injury (2009), "Hy\'s law"; UK SmPC'


@dataclass(frozen=True)
class Thresholds:
    """The clinic settings the engine reads (ClinicSettings, with the DOMAIN.md defaults)."""

    min_age_years: int = 18
    short_acting_free_days: int = 7
    short_acting_warn_days: int = 10
    long_acting_free_days: int = 10
    long_acting_warn_days: int = 14
    modified_release_free_days: int = 10
    modified_release_warn_days: int = 14
    fentanyl_free_days: int = 10
    fentanyl_warn_days: int = 14
    urine_screen_max_age_days: int = 3
    naloxone_challenge_policy: str = "always"  # or "if_unverified"
    liver_test_max_age_days: int = 28
    liver_specialist_multiple: Decimal = Decimal("3.00")
    liver_block_multiple: Decimal = Decimal("5.00")
    surgery_pause_hours: int = 72
    audit_c_positive_score: int = 5


# PHQ-9 question 9 above this answer raises an urgent task. Fixed, not a clinic setting: any
# thought of self-harm needs a clinician (DOMAIN.md section 2).
SELF_HARM_ABOVE = 0
# ALT or AST above 3 x ULN together with bilirubin above 2 x ULN signals drug-induced liver
# injury with a risk of liver failure ("Hy's law", FDA guidance on drug-induced liver injury,
# 2009). Fixed, so it can never be loosened.
BILIRUBIN_MULTIPLE = Decimal("2")
HYS_LAW_TRANSAMINASE_MULTIPLE = Decimal("3")

# Opioid classes a patient can report, each with its own interval (DOMAIN.md section 2).
# Depot buprenorphine has no interval: it needs a specialist washout plan.
OPIOID_CLASSES: dict[str, str] = {
    "short_acting": "short-acting opioids",
    "methadone": "methadone",
    "buprenorphine_daily": "daily buprenorphine",
    "modified_release": "modified-release opioids",
    "fentanyl": "fentanyl",
    "buprenorphine_depot": "depot buprenorphine",
}
DEPOT = "buprenorphine_depot"


def class_interval(t: Thresholds, cls: str) -> tuple[int, int]:
    """(minimum opioid-free days, warn below this many days) for one opioid class."""
    if cls == "short_acting":
        return t.short_acting_free_days, t.short_acting_warn_days
    if cls in ("methadone", "buprenorphine_daily"):
        return t.long_acting_free_days, t.long_acting_warn_days
    if cls == "modified_release":
        return t.modified_release_free_days, t.modified_release_warn_days
    if cls == "fentanyl":
        return t.fentanyl_free_days, t.fentanyl_warn_days
    raise ValueError(cls)


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
    bilirubin: int = 0
    bilirubin_uln: int = 21


@dataclass(frozen=True)
class WashoutPlanIn:
    """A specialist's plan for coming off depot buprenorphine: the earliest first dose."""

    recorded_on: dt.date
    earliest_first_dose: dt.date


@dataclass(frozen=True)
class Inputs:
    today: dt.date
    answers: Mapping[str, Mapping[str, Any]]
    thresholds: Thresholds = field(default_factory=Thresholds)
    urine_screen: UrineScreenIn | None = None
    naloxone: NaloxoneIn | None = None
    liver_test: LiverTestIn | None = None
    # Dates of procedures the clinician recorded where opioid pain relief is expected (None:
    # no date yet). Past ones no longer count.
    procedure_dates: tuple[dt.date | None, ...] = ()
    pregnancy_advice_given: bool = False
    safety_acknowledged: bool = False
    active_supervisors: int = 0
    clinic_supervision: bool = False
    counselling_plan: str = ""
    washout_plan: WashoutPlanIn | None = None
    # An urgent self-harm task is open (not yet closed with the clinician's risk assessment).
    self_harm_task_open: bool = False

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


def opioid_use(answers: Mapping[str, Mapping[str, Any]]) -> dict[str, dt.date | None]:
    """Each opioid class the patient reported, with the date of last use (None: not given).
    Answers saved before the questionnaire asked per class ("which opioid did you use last")
    are read too; "buprenorphine" then could have been a depot injection, so it counts as both
    daily and depot buprenorphine (the safer reading)."""
    section = answers.get("substances", {})
    if "opioid_classes" in section:
        classes = [c for c in section.get("opioid_classes") or [] if c in OPIOID_CLASSES]
        return {c: _date(section.get(f"last_{c}")) for c in classes}
    kind = section.get("last_opioid_kind", "")
    last = _date(section.get("last_opioid_date"))
    if kind in ("", "none"):
        return {}
    if kind == "buprenorphine":
        return {"buprenorphine_daily": last, DEPOT: last}
    return {kind if kind in OPIOID_CLASSES else "short_acting": last}


def uses_opioids(i: Inputs) -> bool:
    """The patient reported opioid use (any kind) or is treated for opioid dependence."""
    about = i.answers.get("about", {})
    return (
        about.get("indication") in ("opioids", "both")
        or bool(opioid_use(i.answers))
        or _yes(i.answers.get("medicines", {}), "takes_opioid_medicines")
    )


_RANK = {PASS: 0, WARN: 1, BLOCK: 2}


def gate_last_opioid(i: Inputs) -> Gate:
    """Per class: under its minimum blocks, up to its warn limit warns. The strictest class
    decides (a block before a warning; among equals, the one with the least margin). Not
    overridable: this gate guards against precipitated withdrawal."""
    title, code = "Time since last opioid use", "last_opioid"
    used = {c: d for c, d in opioid_use(i.answers).items() if c != DEPOT}
    if not used:
        reason = (
            "Only depot buprenorphine reported: see its own gate."
            if DEPOT in opioid_use(i.answers)
            else "No opioid use reported."
        )
        return Gate(code, title, PASS, reason, SMPC, "none", overridable=False)
    missing = [OPIOID_CLASSES[c] for c, d in used.items() if d is None]
    if missing:
        reason = "Date of last use not given for: " + ", ".join(missing) + "."
        return Gate(code, title, BLOCK, reason, SMPC, overridable=False)
    found = []  # (rank, margin, class, days, minimum, warn_below)
    for cls, last in used.items():
        if last is None:  # pragma: no cover - refused above
            continue
        days = (i.today - last).days
        minimum, warn_below = class_interval(i.thresholds, cls)
        outcome = BLOCK if days < minimum else WARN if days < warn_below else PASS
        found.append((_RANK[outcome], -(days - minimum), cls, days, minimum, warn_below))
    found.sort(reverse=True)
    rank, _, cls, days, minimum, warn_below = found[0]
    what = OPIOID_CLASSES[cls]
    value = "; ".join(f"{OPIOID_CLASSES[c]}: {_days(d)}" for _, _, c, d, _, _ in found)
    if rank == _RANK[BLOCK]:
        reason = (
            f"Last use of {what} {_days(days)} ago; at least {_days(minimum)} are needed, or "
            "naltrexone brings on sudden, severe withdrawal."
        )
        return Gate(code, title, BLOCK, reason, SMPC, value, overridable=False)
    if rank == _RANK[WARN]:
        reason = (
            f"Last use of {what} {_days(days)} ago: past the minimum of {_days(minimum)}, but "
            f"under {_days(warn_below)}. Confirm with a urine screen and naloxone challenge."
        )
        return Gate(code, title, WARN, reason, ORANGE, value, overridable=False)
    return Gate(
        code,
        title,
        PASS,
        f"Every class past its interval (closest: {what}, {_days(days)} ago).",
        SMPC,
        value,
        overridable=False,
    )


def gate_depot(i: Inputs) -> Gate:
    """Depot buprenorphine (weekly or monthly injections) stays in the body for weeks to months:
    no fixed interval is safe. Blocks until a specialist washout plan is recorded and its
    earliest first-dose date has come. Not overridable."""
    title, code = "Depot buprenorphine", "depot_buprenorphine"
    src = "Buvidal SmPC (prolonged-release buprenorphine injection); " + TIP63
    if DEPOT not in opioid_use(i.answers):
        return Gate(code, title, PASS, "No depot buprenorphine reported.", src, overridable=False)
    plan = i.washout_plan
    if plan is None:
        reason = (
            "Depot buprenorphine injections reported. Buprenorphine from a depot stays in the "
            "body for weeks to months. Record a specialist washout plan first."
        )
        return Gate(code, title, BLOCK, reason, src, overridable=False)
    when = plan.earliest_first_dose.isoformat()
    if i.today < plan.earliest_first_dose:
        reason = f"The specialist washout plan allows the first dose from {when}, not before."
        return Gate(code, title, BLOCK, reason, src, when, overridable=False)
    reason = f"Specialist washout plan recorded: first dose allowed from {when}."
    return Gate(code, title, PASS, reason, src, when, overridable=False)


def gate_consistency(i: Inputs) -> Gate:
    """Answers that contradict each other warn, so the clinician asks again."""
    title, code, src = "Answers agree with each other", "consistency", CLINIC
    about = i.answers.get("about", {})
    subs = i.answers.get("substances", {})
    meds = i.answers.get("medicines", {})
    said_none = ("opioid_classes" in subs or "last_opioid_kind" in subs) and not opioid_use(
        i.answers
    )
    found = []
    if said_none and about.get("indication") in ("opioids", "both"):
        found.append("help with opioids was asked for, but no opioid use was reported")
    if said_none and _yes(subs, "currently_dependent"):
        found.append("physical dependence on opioids was reported, but no opioid use")
    if said_none and _yes(meds, "takes_opioid_medicines"):
        found.append("an opioid medicine is taken, but no opioid use was reported")
    if found:
        reason = "Check with the patient: " + "; ".join(found) + "."
        return Gate(code, title, WARN, reason, src)
    return Gate(code, title, PASS, "No contradictions found.", src)


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
            "urine_screen",
            title,
            BLOCK,
            f"Positive for: {names}.",
            src,
            f"{value}; positive",
            overridable=False,
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
            overridable=False,
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
    title, code, src = "Liver blood test", "liver", SMPC
    lft = i.liver_test
    t = i.thresholds
    if lft is None:
        return Gate(code, title, BLOCK, "No baseline liver blood test recorded.", src)
    age = (i.today - lft.taken_on).days
    ratio = max(Decimal(lft.alt) / Decimal(lft.alt_uln), Decimal(lft.ast) / Decimal(lft.ast_uln))
    bili = Decimal(lft.bilirubin) / Decimal(lft.bilirubin_uln)
    value = (
        f"{ratio.quantize(Decimal('0.01'))} x upper limit; bilirubin "
        f"{bili.quantize(Decimal('0.01'))} x upper limit; taken {_days(age)} ago"
    )
    if ratio > HYS_LAW_TRANSAMINASE_MULTIPLE and bili > BILIRUBIN_MULTIPLE:
        reason = (
            "ALT or AST above 3 times and bilirubin above 2 times the upper limit of normal: "
            "possible liver injury. Do not start; refer for specialist care."
        )
        return Gate(code, title, BLOCK, reason, HYS_LAW, value, overridable=False)
    if ratio >= t.liver_block_multiple:
        reason = f"ALT or AST at or above {t.liver_block_multiple} times the upper limit of normal."
        return Gate(code, title, BLOCK, reason, src, value)
    if ratio >= t.liver_specialist_multiple:
        reason = (
            f"ALT or AST at or above {t.liver_specialist_multiple} times the upper limit of "
            "normal: needs specialist review before starting."
        )
        return Gate(code, title, BLOCK, reason, src, value)
    if age > t.liver_test_max_age_days:
        reason = (
            f"The result is {_days(age)} old; a baseline at most "
            f"{_days(t.liver_test_max_age_days)} old is needed. Repeat the test."
        )
        return Gate(code, title, BLOCK, reason, CLINIC, value)
    if bili > BILIRUBIN_MULTIPLE:
        reason = (
            "ALT and AST are within range, but bilirubin is above 2 times the upper limit of "
            "normal. Find the cause before starting."
        )
        return Gate(code, title, WARN, reason, src, value)
    return Gate(code, title, PASS, "Within the accepted range.", src, value)


def _contraindication(
    code: str, title: str, found: bool, reason: str, *, overridable: bool
) -> Gate:
    if found:
        return Gate(code, title, BLOCK, reason, SMPC, overridable=overridable)
    return Gate(code, title, PASS, "Not reported.", SMPC, overridable=overridable)


def gate_acute_liver(i: Inputs) -> Gate:
    """Acute hepatitis or liver failure: not overridable (SmPC contraindication)."""
    health = i.answers.get("health", {})
    found = _yes(health, "acute_hepatitis") or _yes(health, "liver_failure")
    return _contraindication(
        "acute_liver",
        "Acute hepatitis or liver failure",
        found,
        "Acute hepatitis or liver failure reported. Naltrexone must not be given.",
        overridable=False,
    )


def gate_organ_impairment(i: Inputs) -> Gate:
    health = i.answers.get("health", {})
    found = [
        label
        for key, label in (
            ("severe_liver_impairment", "severe liver impairment"),
            ("severe_kidney_impairment", "severe kidney impairment"),
        )
        if _yes(health, key)
    ]
    return _contraindication(
        "organ_impairment",
        "Severe liver or kidney impairment",
        bool(found),
        "Reported: " + "; ".join(found) + ".",
        overridable=True,
    )


def gate_opioid_dependence(i: Inputs) -> Gate:
    """Current physical dependence: not overridable (precipitated withdrawal)."""
    return _contraindication(
        "opioid_dependence",
        "Current opioid dependence",
        _yes(i.answers.get("substances", {}), "currently_dependent"),
        "The patient would get withdrawal if they stopped opioids today. Naltrexone now would "
        "bring on sudden, severe withdrawal.",
        overridable=False,
    )


def gate_opioid_medicines(i: Inputs) -> Gate:
    """Taking opioid-containing medicines or methadone now: not overridable (the safer choice:
    it brings on withdrawal and the medicine stops working)."""
    meds = i.answers.get("medicines", {})
    health = i.answers.get("health", {})
    found = _yes(meds, "takes_opioid_medicines") or health.get("opioid_pain_relief") == "now"
    return _contraindication(
        "opioid_medicines",
        "Opioid medicines taken now",
        found,
        "Taking opioid painkillers, cough or diarrhoea medicines, or methadone now. They must be "
        "stopped (and the interval passed) before the first dose.",
        overridable=False,
    )


def gate_hypersensitivity(i: Inputs) -> Gate:
    return _contraindication(
        "hypersensitivity",
        "Allergy to naltrexone",
        _yes(i.answers.get("health", {}), "hypersensitivity"),
        "Allergic reaction to naltrexone reported.",
        overridable=True,
    )


def gate_opioid_pain_relief(i: Inputs) -> Gate:
    """Opioid pain relief that may be needed (planned surgery, long-term pain) warns: plan a
    pause. Taking opioid painkillers now is the opioid_medicines gate. Procedures whose date
    has passed no longer warn."""
    title, src = "Planned opioid pain relief", SMPC
    health = i.answers.get("health", {})
    upcoming = [d for d in i.procedure_dates if d is None or d >= i.today]
    if (
        _yes(health, "planned_surgery")
        or health.get("opioid_pain_relief") == "may_need"
        or _yes(health, "chronic_pain_opioids")  # answers saved before the question was split
        or upcoming
    ):
        reason = (
            "Opioid pain relief may be needed: plan a pause "
            f"(stop {i.thresholds.surgery_pause_hours} hours before elective surgery where "
            "opioid pain relief may be needed)."
        )
        return Gate("opioid_pain_relief", title, WARN, reason, src)
    return Gate("opioid_pain_relief", title, PASS, "None planned.", src)


def gate_mood(i: Inputs) -> Gate:
    """PHQ-9 question 9 above 0 (fixed): while the urgent task is open (no risk assessment
    documented yet) nothing can be decided; once it is closed with the assessment, it warns."""
    title, src = "Mood (PHQ-9 question 9)", "PHQ-9 scoring instructions"
    phq = i.answers.get("phq_9", {})
    if "phq_9" not in phq:
        return Gate("mood", title, WARN, "The mood questions are not answered yet.", src)
    value = int(phq["phq_9"])
    if value > SELF_HARM_ABOVE:
        if i.self_harm_task_open:
            reason = (
                "Thoughts of self-harm reported. The urgent task is still open: close it with "
                "your risk assessment before deciding."
            )
            return Gate("mood", title, BLOCK, reason, src, str(value), overridable=False)
        reason = "Thoughts of self-harm reported; the risk assessment is recorded on the task."
        return Gate("mood", title, WARN, reason, src, str(value))
    if i.self_harm_task_open:
        reason = "An urgent self-harm task is open: close it with your risk assessment first."
        return Gate("mood", title, BLOCK, reason, src, str(value), overridable=False)
    return Gate("mood", title, PASS, "No thoughts of self-harm reported.", src, str(value))


def gate_alcohol_withdrawal(i: Inputs) -> Gate:
    """For alcohol: naltrexone is started after withdrawal is complete (NICE CG115)."""
    title, code = "Alcohol withdrawal complete", "alcohol_withdrawal"
    about = i.answers.get("about", {})
    if about.get("indication") not in ("alcohol", "both"):
        return Gate(code, title, PASS, "Not treated for alcohol.", CG115)
    answer = about.get("alcohol_withdrawal_complete", "")
    if answer == "yes":
        return Gate(code, title, PASS, "Alcohol withdrawal is complete.", CG115, "yes")
    if answer == "no":
        reason = (
            "Alcohol withdrawal is not complete. Start naltrexone after a safe, supported "
            "withdrawal."
        )
        return Gate(code, title, BLOCK, reason, CG115, "no")
    reason = "The patient is not sure whether alcohol withdrawal is complete. Ask and check."
    return Gate(code, title, WARN, reason, CG115, answer or "not answered")


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
    gate_depot,
    gate_consistency,
    gate_urine_screen,
    gate_naloxone,
    gate_liver,
    gate_acute_liver,
    gate_organ_impairment,
    gate_opioid_dependence,
    gate_opioid_medicines,
    gate_hypersensitivity,
    gate_opioid_pain_relief,
    gate_mood,
    gate_pregnancy,
    gate_alcohol_withdrawal,
    gate_alcohol_goal,
    gate_support,
    gate_informed_consent,
)


# Gates the clinician may decide eligibility before (they are the patient's and the care team's
# arrangements, not clinical findings): they hold the first dose back, and the review page says
# so in words, never as "Blocked".
FIRST_DOSE_ONLY = frozenset({"support", "informed_consent"})


def evaluate(inputs: Inputs) -> list[Gate]:
    """Every gate, in a fixed order."""
    return [gate(inputs) for gate in GATES]


def is_overridden(gate: Gate, overridden: frozenset[str]) -> bool:
    """An override counts only for a blocked gate that may be overridden: one that guards
    against precipitated withdrawal or liver failure never is, whatever is on file."""
    return gate.outcome == BLOCK and gate.overridable and gate.code in overridden


def blocks_decision(gate: Gate, overridden: frozenset[str] = frozenset()) -> bool:
    """This gate stops "Record: eligible" now."""
    return (
        gate.outcome == BLOCK
        and not is_overridden(gate, overridden)
        and gate.code not in FIRST_DOSE_ONLY
    )


def decision_overall(gates: list[Gate], overridden: frozenset[str] = frozenset()) -> str:
    """BLOCK if a gate stops the decision now (`blocks_decision`), else WARN if any gate warns or
    blocks only the first dose or is overridden, else PASS."""
    if any(blocks_decision(g, overridden) for g in gates):
        return BLOCK
    if any(g.outcome in (WARN, BLOCK) for g in gates):
        return WARN
    return PASS


def overall(gates: list[Gate], overridden: frozenset[str] = frozenset()) -> str:
    """BLOCK if any gate blocks and is not overridden, else WARN if any warns, else PASS."""
    outcomes = {g.outcome for g in gates if not is_overridden(g, overridden)}
    if BLOCK in outcomes:
        return BLOCK
    if WARN in outcomes or any(g.outcome == BLOCK for g in gates):
        return WARN
    return PASS
