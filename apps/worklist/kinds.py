"""Task kinds and outcome codes. Other parts of the portal add their kinds here (for example
missed-dose tiers); the worklist itself knows nothing about their rules. Any task raised with
priority URGENT is closed deliberately (an outcome chosen on purpose, a note, a confirmation
step): see `services.task_resolve` and `views.task_resolve`."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Kind:
    title: str
    action: str  # what the clinician should do, in a few words
    # What the note on closing should record (urgent tasks need one).
    note_label: str = "What did you do, and what did you find?"
    # Outcome codes this kind may be closed with (None: all of OUTCOMES).
    outcomes: tuple[str, ...] | None = None
    # A route (taking `urgent_task_id`) where the task closes on purpose: an outcome, a note and
    # a confirmation. Such tasks have no one-click close on the worklist.
    close_url: str = ""


KINDS: dict[str, Kind] = {
    "intake.self_harm": Kind(
        title="Thoughts of self-harm reported (PHQ-9 question 9)",
        action="Call the patient today and assess their safety.",
        note_label="Your risk assessment: what the patient told you, the risk you found, and "
        "the plan agreed",
    ),
    "intake.review_ready": Kind(
        title="Questionnaire ready for review",
        action="Review the answers and record the tests.",
    ),
    "counselling.overdue": Kind(
        title="Counselling session overdue",
        action="Contact the patient and offer an appointment.",
    ),
    # Missed-dose escalation (apps/dosing/escalation.py, DOMAIN.md section 4).
    "dosing.unprotected": Kind(
        title="Patient unprotected: no dose taken since the last one wore off",
        action="Check in with the patient and their supervisor.",
    ),
    "dosing.missed_urgent": Kind(
        title="Missed doses: call the patient back",
        action="Call today and offer an early appointment; record who you spoke to.",
        close_url="escalation:task-close",
    ),
    "dosing.concern": Kind(
        title="A supervisor raised a concern",
        action="Read the concern, call today and record who you spoke to.",
        close_url="escalation:task-close",
    ),
    "dosing.reinduction": Kind(
        title="Re-induction check required before the next dose",
        action="Urine drug screen (and a naloxone challenge if in doubt); restart at 25 mg.",
        close_url="escalation:task-close",
    ),
    # Monitoring during treatment (apps/dosing/monitoring.py, DOMAIN.md section 7).
    "dosing.liver_due": Kind(
        title="Liver blood test due",
        action="Arrange the liver blood test and record the result.",
    ),
    "dosing.liver_raised": Kind(
        title="Liver blood test raised during treatment",
        action="Review today: consider stopping and specialist advice (UK SmPC).",
    ),
}

# Outcome codes a clinician can close a task with.
OUTCOMES: list[tuple[str, str]] = [
    ("called_back", "Spoke to the patient"),
    ("seen", "Seen in clinic"),
    ("crisis_referral", "Referred to crisis or emergency services"),
    ("no_contact", "Could not reach the patient; will try again"),
    ("not_needed", "No action needed"),
]
OUTCOME_CODES = frozenset(code for code, _ in OUTCOMES)


def kind_close_url(code: str) -> str:
    kind = KINDS.get(code)
    return kind.close_url if kind else ""


def task_close_path(*, kind: str, task_id: int) -> str:
    """The portal page where this task is closed on purpose (its kind's own page, if it has
    one, else the worklist's)."""
    return reverse(kind_close_url(kind) or "worklist:task-resolve", args=[task_id])


def kind_title(code: str) -> str:
    kind = KINDS.get(code)
    return kind.title if kind else code.replace("_", " ").replace(".", ": ")


def kind_of(code: str) -> Kind:
    return KINDS.get(code) or Kind(title=kind_title(code), action="")


def outcomes_for(code: str) -> list[tuple[str, str]]:
    """The outcomes a task of this kind may be closed with."""
    allowed = kind_of(code).outcomes
    return [(c, label) for c, label in OUTCOMES if allowed is None or c in allowed]
