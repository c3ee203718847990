"""Task kinds and outcome codes. Other parts of the portal add their kinds here (for example
missed-dose tiers); the worklist itself knows nothing about their rules. Any task raised with
priority URGENT is closed deliberately (an outcome chosen on purpose, a note, a confirmation
step): see `services.task_resolve` and `views.task_resolve`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    title: str
    action: str  # what the clinician should do, in a few words
    # What the note on closing should record (urgent tasks need one).
    note_label: str = "What did you do, and what did you find?"
    # Outcome codes this kind may be closed with (None: all of OUTCOMES).
    outcomes: tuple[str, ...] | None = None


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


def kind_title(code: str) -> str:
    kind = KINDS.get(code)
    return kind.title if kind else code.replace("_", " ").replace(".", ": ")


def kind_of(code: str) -> Kind:
    return KINDS.get(code) or Kind(title=kind_title(code), action="")


def outcomes_for(code: str) -> list[tuple[str, str]]:
    """The outcomes a task of this kind may be closed with."""
    allowed = kind_of(code).outcomes
    return [(c, label) for c, label in OUTCOMES if allowed is None or c in allowed]
