"""Demo intake: one patient part-way through the questionnaire, one waiting for review with
flags, and the two demo patients already found eligible. Everything goes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import Invitation, User
from apps.accounts.roles import Role
from apps.core.demo import DEMO_PASSWORD, Demo
from apps.intake import services
from apps.intake.models import (
    LiverFunctionTest,
    NaloxoneChallenge,
    PathwayState,
    UrineDrugScreen,
)
from apps.intake.selectors import pathway_state_of


def demo_answers(today: dt.date, *, last_use_days: int = 21, phq9_item9: int = 0) -> dict[str, Any]:
    """A complete, unremarkable set of answers (opioid indication)."""
    return {
        "about": {
            "date_of_birth": "1988-04-12",
            "indication": "opioids",
            "alcohol_goal": "",
            "alcohol_withdrawal_complete": "",
        },
        "substances": {
            "opioid_classes": ["short_acting"],
            "last_short_acting": (today - dt.timedelta(days=last_use_days)).isoformat(),
            "last_methadone": None,
            "last_buprenorphine_daily": None,
            "last_buprenorphine_depot": None,
            "last_modified_release": None,
            "last_fentanyl": None,
            "currently_dependent": "no",
            "other_substances": "",
        },
        "medicines": {
            "takes_opioid_medicines": "no",
            "opioid_medicines": "",
            "other_medicines": "",
        },
        "health": {
            "acute_hepatitis": "no",
            "liver_failure": "no",
            "severe_liver_impairment": "no",
            "severe_kidney_impairment": "no",
            "hypersensitivity": "no",
            "liver_kidney_notes": "",
            "pregnancy": "not_applicable",
            "planned_surgery": "no",
            "opioid_pain_relief": "no",
        },
        "audit_c": {"audit_1": 1, "audit_2": 1, "audit_3": 0},
        "dast_10": {f"dast_{n}": 0 for n in range(1, 11)} | {"dast_1": 1, "dast_3": 1},
        "phq_9": {f"phq_{n}": 1 for n in range(1, 9)} | {"phq_9": phq9_item9},
        "gad_7": {f"gad_{n}": 1 for n in range(1, 8)},
        "support": {"supervisor_plan": "person", "counselling": "clinic", "consent": True},
    }


def _invited_patient(demo: Demo, email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    clinician = demo.people["clinician@example.org"]
    account_services.invitation_create(
        actor=clinician, email=email, full_name=name, role=Role.PATIENT
    )
    invitation = Invitation.objects.get(email=email, status=Invitation.Status.PENDING)
    user = account_services.invitation_accept(
        invitation=invitation, password=DEMO_PASSWORD, full_name=name
    )
    demo.say(f"Invited and signed up patient {email}")
    return user


def _answer(patient: User, answers: dict[str, Any], steps: list[str] | None = None) -> None:
    for step in steps or list(answers):
        services.questionnaire_step_save(actor=patient, step=step, answers=answers[step])


def record_clean_results(
    clinician: User, patient: User, *, today: dt.date, lft_age: int = 5
) -> None:
    """A clinician's set of results that pass every gate: negative urine screen and naloxone
    challenge today, a normal liver test `lft_age` days ago, supervision and counselling agreed.
    Used by the demo and by the tests."""
    negative = dict.fromkeys(UrineDrugScreen.ANALYTES, "negative")
    services.urine_screen_record(
        actor=clinician, patient=patient, screen=UrineDrugScreen(taken_on=today, **negative)
    )
    services.naloxone_challenge_record(
        actor=clinician,
        patient=patient,
        challenge=NaloxoneChallenge(
            done_on=today,
            route=NaloxoneChallenge.Route.IM,
            dose_mg=Decimal("0.8"),
            observed_minutes=30,
            result="negative",
        ),
        cows_answers={},
    )
    services.liver_test_record(
        actor=clinician,
        patient=patient,
        test=LiverFunctionTest(
            taken_on=today - dt.timedelta(days=lft_age),
            alt=30,
            alt_uln=40,
            ast=30,
            ast_uln=40,
            bilirubin=8,
            bilirubin_uln=21,
        ),
    )
    services.support_record(
        actor=clinician, patient=patient, clinic_supervision=False, counselling_plan="clinic"
    )


def _make_eligible(demo: Demo, patient: User, today: dt.date) -> None:
    if pathway_state_of(patient) not in (PathwayState.INVITED, PathwayState.INTAKE):
        return
    clinician = demo.people["clinician@example.org"]
    _answer(patient, demo_answers(today))
    services.questionnaire_submit(actor=patient)
    record_clean_results(clinician, patient, today=today)
    services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    demo.say(f"Recorded {patient.email} as eligible")


def seed(demo: Demo) -> None:
    today = timezone.localdate()
    # The demo clinician is the clinic's clinical lead, so the thresholds page can be seen.
    lead = demo.people["clinician@example.org"]
    if not lead.is_clinical_lead:
        account_services.clinical_lead_set(
            actor=demo.people["staff@example.org"], user=lead, is_lead=True
        )
        lead.refresh_from_db()
        demo.say("clinician@example.org is the clinical lead (may change clinical thresholds)")
    # Part-way through the questionnaire.
    casey = _invited_patient(demo, "new.patient@example.org", "Casey Morgan")
    if pathway_state_of(casey) == PathwayState.INVITED:
        _answer(casey, demo_answers(today), ["about", "substances", "medicines"])
        demo.say("new.patient@example.org has answered 3 parts of the questionnaire")
    # Waiting for review, with flags: recent opioid use and a PHQ-9 question 9 answer.
    robin = _invited_patient(demo, "review.patient@example.org", "Robin Hale")
    if pathway_state_of(robin) == PathwayState.INVITED:
        _answer(robin, demo_answers(today, last_use_days=8, phq9_item9=1))
        services.questionnaire_submit(actor=robin)
        demo.say("review.patient@example.org is waiting for review (flags and an urgent task)")
    for email in ("patient@example.org", "patient2@example.org"):
        _make_eligible(demo, demo.people[email], today)
