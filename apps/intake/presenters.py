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
    if choices and isinstance(value, list):
        lookup = {str(k): str(v) for k, v in choices}
        return "; ".join(lookup.get(str(v), str(v)) for v in value) or "Not answered"
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
    codes = frozenset(data.overridden)
    for g in data.gates:
        # Only an override the engine honours is shown as one (never for a gate that cannot be
        # overridden), so the row, the badge and the decision always agree.
        override = data.overridden.get(g.code) if engine.is_overridden(g, codes) else None
        blocked = engine.blocks_decision(g, codes)
        first_dose = g.outcome == engine.BLOCK and g.code in engine.FIRST_DOSE_ONLY
        label = OUTCOME_LABELS[g.outcome]
        if override:
            label = "Overridden"
        elif first_dose:
            label = "Needed before the first dose"
        rows.append(
            {
                "gate": g,
                "label": label,
                "css": "warn" if first_dose else "done" if g.outcome == engine.PASS else g.outcome,
                "first_dose": first_dose,
                "override": override,
                "blocked": blocked,
                "can_override": blocked and g.overridable,
                "not_overridable": blocked and not g.overridable,
            }
        )
    return rows


def overall_label(gates: list[engine.Gate], overridden: frozenset[str]) -> str:
    """The badge, in the same terms as the rows and the decision: "Blocked" only when
    "Record: eligible" is refused."""
    if any(engine.blocks_decision(g, overridden) for g in gates):
        return OUTCOME_LABELS[engine.BLOCK]
    held = any(g.outcome == engine.BLOCK and g.code in engine.FIRST_DOSE_ONLY for g in gates)
    if held:
        return "Can be decided; the first dose is held until the arrangements are in place"
    return OUTCOME_LABELS[engine.overall(gates, overridden)]


def review_context(data: Review) -> dict[str, Any]:
    about = data.answers.get("about", {})
    overridden = frozenset(data.overridden)
    gates = gate_rows(data)
    return {
        "review": data,
        "patient": data.patient,
        "state_label": PathwayState(data.state).label,
        "sections": answer_sections(data.answers),
        "scores": score_rows(data.scores),
        "gates": gates,
        "blocking": [row["gate"].title for row in gates if row["blocked"]],
        "first_dose_held": [row["gate"].title for row in gates if row["first_dose"]],
        "overall": overall_label(data.gates, overridden),
        "off_label": about.get("indication") in ("alcohol", "both")
        and about.get("alcohol_goal") == "reduction",
        "can_decide": data.state == "review",
        "self_harm_open": any(t.kind == "intake.self_harm" for t in data.open_tasks),
        "self_harm_above": engine.SELF_HARM_ABOVE,
    }
