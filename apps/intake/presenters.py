"""Turn review data into finished rows for the templates (labels, not codes; no ORM access)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms as djforms
from django.utils.formats import date_format

from apps.intake import eligibility as engine
from apps.intake import instruments, questionnaire
from apps.intake.models import PathwayState
from apps.intake.selectors import Review

OUTCOME_LABELS = {engine.PASS: "Pass", engine.WARN: "Warning", engine.BLOCK: "Blocked"}


def _label(field: djforms.Field, value: Any) -> str:
    if value in (None, ""):
        return "Not answered"
    if isinstance(field, djforms.DateField) and isinstance(value, str):
        return date_format(dt.date.fromisoformat(value), "j F Y")
    choices = getattr(field, "choices", None)
    if choices:
        lookup = {str(k): str(v) for k, v in choices}
        return lookup.get(str(value), str(value))
    if value is True:
        return "Yes"
    return str(value)


def answer_sections(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Each answered step as a summary list of (question, answer)."""
    sections = []
    for step in questionnaire.STEPS:
        saved = answers.get(step.key)
        if not saved:
            continue
        form = step.form()
        rows = [
            {"question": str(f.label), "answer": _label(f, saved.get(name))}
            for name, f in form.fields.items()
            if name in saved
        ]
        sections.append({"title": step.title, "key": step.key, "rows": rows})
    return sections


def score_rows(scores: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for code, s in scores.items():
        inst = instruments.INSTRUMENTS[code]
        rows.append(
            {
                "name": inst.name,
                "total": s["total"],
                "max": inst.max_score,
                "band": s["band_label"],
                "licence": inst.licence,
            }
        )
    return rows


def gate_rows(data: Review) -> list[dict[str, Any]]:
    rows = []
    for g in data.gates:
        override = data.overridden.get(g.code) if g.outcome == engine.BLOCK else None
        rows.append(
            {
                "gate": g,
                "label": "Overridden" if override else OUTCOME_LABELS[g.outcome],
                "css": "done" if g.outcome == engine.PASS else g.outcome,
                "override": override,
                "can_override": g.outcome == engine.BLOCK and g.overridable and not override,
            }
        )
    return rows


def review_context(data: Review) -> dict[str, Any]:
    about = data.answers.get("about", {})
    overridden = frozenset(data.overridden)
    return {
        "review": data,
        "patient": data.patient,
        "state_label": PathwayState(data.state).label,
        "sections": answer_sections(data.answers),
        "scores": score_rows(data.scores),
        "gates": gate_rows(data),
        "overall": OUTCOME_LABELS[engine.overall(data.gates, overridden)],
        "off_label": about.get("indication") in ("alcohol", "both")
        and about.get("alcohol_goal") == "reduction",
        "can_decide": data.state == "review",
        "self_harm_open": any(t.kind == "intake.self_harm" for t in data.open_tasks),
    }
