"""Dashboard panels: where the patient is and what is next; the clinician's intake queue."""

from __future__ import annotations

from apps.accounts.models import User
from apps.clinic.selectors import clinic_settings_cached
from apps.core.panels import Panel
from apps.intake import questionnaire, selectors
from apps.intake.models import IntakeDecision, LiverFunctionTest, PathwayState


def patient_next_step(user: User) -> Panel | None:
    """'Finish your questionnaire', 'book your liver test', 'waiting for your clinician', or the
    decision."""
    state = selectors.pathway_state_of(user)
    context: dict[str, object] = {"state": state}
    if state in (PathwayState.INVITED, PathwayState.INTAKE):
        clinic = clinic_settings_cached()
        context["progress"] = questionnaire.progress(
            selectors.answers_of(user), audit_c_cut_off=clinic.audit_c_positive_score
        )
    elif state == PathwayState.REVIEW:
        context["needs_liver_test"] = not LiverFunctionTest.objects.filter(patient=user).exists()
    elif state in (PathwayState.ELIGIBLE, PathwayState.NOT_ELIGIBLE):
        decision = IntakeDecision.objects.filter(patient=user).first()
        context["reason"] = decision.reason_for_patient if decision else ""
    else:
        return None
    return Panel(template="intake/_patient_panel.html", context=context, order=10)


def clinician_queue(user: User) -> Panel | None:
    """Patients waiting for this clinician's review, flagged and urgent first (one query)."""
    patients = list(selectors.intake_queue_for(user=user)[:10])
    if not patients:
        return None
    return Panel(template="intake/_queue_panel.html", context={"patients": patients}, order=20)
