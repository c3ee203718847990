"""The questionnaire's steps, in order, and each step's status for the task list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apps.intake import forms, instruments

NOT_STARTED = "not_started"
COMPLETED = "completed"
CANNOT_START = "cannot_start"
NOT_NEEDED = "not_needed"
STATUS_LABELS = {
    NOT_STARTED: "Not started",
    COMPLETED: "Completed",
    CANNOT_START: "Cannot start yet",
    NOT_NEEDED: "Not needed",
}


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    form: type[forms.StepForm]
    instrument: instruments.Instrument | None = None


STEPS: tuple[Step, ...] = (
    Step("about", "About you and your goal", forms.AboutForm),
    Step("substances", "Drug use", forms.SubstancesForm),
    Step("medicines", "Medicines you take", forms.MedicinesForm),
    Step("health", "Your health", forms.HealthForm),
    Step(
        "audit_c",
        "Alcohol",
        forms.instrument_form(instruments.AUDIT_C),
        instruments.AUDIT_C,
    ),
    Step(
        "audit",
        "Alcohol: a few more questions",
        forms.instrument_form(instruments.AUDIT, skip=3),
        instruments.AUDIT,
    ),
    Step("dast_10", "Drugs", forms.instrument_form(instruments.DAST_10), instruments.DAST_10),
    Step("phq_9", "Mood", forms.instrument_form(instruments.PHQ_9), instruments.PHQ_9),
    Step("gad_7", "Worry and anxiety", forms.instrument_form(instruments.GAD_7), instruments.GAD_7),
    Step("support", "Support and consent", forms.SupportForm),
)
STEP_KEYS = tuple(s.key for s in STEPS)
BY_KEY = {s.key: s for s in STEPS}


def audit_c_total(answers: Mapping[str, Any]) -> int | None:
    section = answers.get("audit_c")
    if not section:
        return None
    return sum(int(section[i.key]) for i in instruments.AUDIT_C.items)


def treated_for_alcohol(answers: Mapping[str, Any]) -> bool:
    return (answers.get("about") or {}).get("indication") in ("alcohol", "both")


def step_status(key: str, answers: Mapping[str, Any], *, audit_c_cut_off: int) -> str:
    """Not started / completed; the full AUDIT cannot start before AUDIT-C and is needed when
    AUDIT-C is positive, and always for a patient who wants help with alcohol."""
    if key == "audit":
        total = audit_c_total(answers)
        if total is None:
            return CANNOT_START
        if not (
            treated_for_alcohol(answers)
            or instruments.audit_c_is_positive(total, cut_off=audit_c_cut_off)
        ):
            return NOT_NEEDED
    return COMPLETED if key in answers else NOT_STARTED


def statuses(answers: Mapping[str, Any], *, audit_c_cut_off: int) -> dict[str, str]:
    return {s.key: step_status(s.key, answers, audit_c_cut_off=audit_c_cut_off) for s in STEPS}


def is_complete(answers: Mapping[str, Any], *, audit_c_cut_off: int) -> bool:
    return all(
        st in (COMPLETED, NOT_NEEDED)
        for st in statuses(answers, audit_c_cut_off=audit_c_cut_off).values()
    )


@dataclass(frozen=True)
class Progress:
    """How far the patient has got. Parts that do not apply to them ("Not needed") are not
    counted, so every part done reads as done, not "9 of 10"."""

    done: int
    total: int

    @property
    def is_finished(self) -> bool:
        return self.done == self.total

    @property
    def sentence(self) -> str:
        if self.is_finished:
            return "You have answered every part that applies to you."
        left = self.total - self.done
        return (
            f"You have completed {self.done} of {self.total} parts. "
            f"{left} {'part is' if left == 1 else 'parts are'} still to do."
        )


def progress(answers: Mapping[str, Any], *, audit_c_cut_off: int) -> Progress:
    found = statuses(answers, audit_c_cut_off=audit_c_cut_off).values()
    return Progress(
        done=sum(1 for st in found if st == COMPLETED),
        total=sum(1 for st in found if st != NOT_NEEDED),
    )


def compute_scores(answers: Mapping[str, Any], *, audit_c_cut_off: int) -> dict[str, Any]:
    """Scores of every instrument answered so far ({code: {"total", "band", "band_label"}})."""
    found: dict[str, Any] = {}
    for step in STEPS:
        inst = step.instrument
        if inst is None:
            continue
        section = dict(answers.get(step.key) or {})
        if inst is instruments.AUDIT:
            if step_status("audit", answers, audit_c_cut_off=audit_c_cut_off) != COMPLETED:
                continue
            section = {**dict(answers.get("audit_c") or {}), **section}
        if not section:
            continue
        s = instruments.score(inst, section)
        band, label = s.band, s.band_label
        if inst is instruments.AUDIT_C:  # the clinic sets the cut-off (UK default 5)
            positive = instruments.audit_c_is_positive(s.total, cut_off=audit_c_cut_off)
            band = "positive" if positive else "negative"
            label = instruments.AUDIT_C.bands[1 if positive else 0].label
        found[inst.code] = {"total": s.total, "band": band, "band_label": label}
    return found
