"""`GET me/export/` holds every row the portal keeps about the patient, and none of anyone
else's: two patients share one supervisor, both with a full record.

The gate: every model of the portal that points at a patient must be listed in ROWS with where
its rows appear in the export, or in NOT_EXPORTED with the reason. A new model that holds a
patient's rows fails here until the export has a section for it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps as django_apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.content.models import CardFormat
from apps.content.services import alert_card_issue
from apps.dosing import selectors
from apps.dosing.concerns import concern_raise
from apps.dosing.services import dose_outcome_record, naloxone_kit_record, plan_create
from apps.intake import services as intake
from apps.intake.models import WashoutPlan
from apps.notifications.services import notification_queue, preference_update
from apps.worklist.services import task_raise
from tests.conftest import link_supervisor, make_user
from tests.counselling.helpers import book, open_every_day
from tests.dosing.conftest import plan_in
from tests.intake.conftest import acknowledge_safety, fill, record_clean_tests

EXPORT = reverse("api:accounts-api:export")

# model label -> (how to find the patient's rows, where they are in the export)
ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "accounts.supervisorconsent": ("patient", ("supervisor_consents",)),
    "audit.auditevent": ("patient", ("record_access",)),
    "intake.questionnaireresponse": ("patient", ("intake", "answers")),
    "intake.pathway": ("patient", ("intake", "support")),
    "intake.pathwaytransition": ("patient", ("intake", "pathway_history")),
    "intake.urinedrugscreen": ("patient", ("intake", "urine_drug_screens")),
    "intake.naloxonechallenge": ("patient", ("intake", "naloxone_challenges")),
    "intake.liverfunctiontest": ("patient", ("intake", "liver_tests")),
    "intake.plannedprocedure": ("patient", ("intake", "planned_procedures")),
    "intake.pregnancyadvice": ("patient", ("intake", "pregnancy_advice")),
    "intake.washoutplan": ("patient", ("intake", "washout_plans")),
    "intake.eligibilityassessment": ("patient", ("intake", "eligibility_assessments")),
    "intake.gateoverride": ("patient", ("intake", "overrides")),
    "intake.intakedecision": ("patient", ("intake", "decisions")),
    "worklist.task": ("patient", ("tasks",)),
    "content.safetyacknowledgement": (
        "patient",
        ("safety_and_alert_cards", "safety_acknowledgements"),
    ),
    "content.alertcardissue": ("patient", ("safety_and_alert_cards", "alert_card_issues")),
    "notifications.notification": ("recipient", ("notifications", "notifications")),
    "notifications.delivery": (
        "notification__recipient",
        ("notifications", "notifications", "*", "deliveries"),
    ),
    "notifications.notificationpreference": ("user", ("notifications", "preferences")),
    "counselling.booking": ("patient", ("counselling", "appointments")),
    "counselling.waitlistentry": ("patient", ("counselling", "waiting_list")),
    "counselling.counsellingplan": ("patient", ("counselling", "plan")),
    "dosing.treatmentplan": ("patient", ("treatment", "plans")),
    "dosing.scheduleddose": ("patient", ("treatment", "doses")),
    "dosing.doseoutcome": ("dose__patient", ("treatment", "doses", "*", "outcomes")),
    "dosing.naloxonekit": ("patient", ("treatment", "naloxone_kits")),
    "dosing.alert": ("patient", ("treatment", "alerts")),
    "dosing.escalationoverride": ("patient", ("treatment", "escalation_thresholds")),
    "dosing.concern": ("patient", ("treatment", "concerns")),
    "dosing.moodcheck": ("patient", ("treatment", "mood_checks")),
}
# One row per patient: the export shows it as one object, not a list.
SINGLE = {
    "intake.questionnaireresponse",
    "intake.pathway",
    "notifications.notificationpreference",
    "counselling.counsellingplan",
}

# Rows the record above cannot hold without a blocked gate; the section is still counted.
MAY_BE_EMPTY = {
    "intake.gateoverride",
    # Made by the sweep, the clinician or the patient later in treatment; their sections are
    # still compared row for row (tests/dosing and tests/counselling make them).
    "counselling.waitlistentry",
    "counselling.counsellingplan",
    "dosing.alert",
    "dosing.escalationoverride",
    "dosing.moodcheck",
}

NOT_EXPORTED = {
    # The account itself is the export's "account" section.
    "accounts.user": "the account section",
    "accounts.patientprofile": "in the account section (responsible clinician)",
    # Invitations are about an address before an account exists; the account replaces them.
    "accounts.invitation": "an invitation is the clinic's record of asking, not the patient's data",
    # Written by others, about requests: the key and the stored answer of the patient's own POSTs.
    # A hash of the secret calendar-feed address: a credential, not information about the patient.
    "counselling.calendarfeed": "a credential (the hashed feed secret)",
    "api.idempotentrequest": "a transport record of the patient's own requests, purged after IDEMPOTENCY_KEEP_HOURS",
}


def _patient_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey | models.OneToOneField)
        and f.related_model is User
        and f.name in {"patient", "recipient", "user"}
    ]


def test_every_model_that_holds_a_patients_rows_is_in_the_export():
    holding = {
        m._meta.label_lower
        for m in django_apps.get_models()
        if m.__module__.startswith("apps.") and _patient_fields(m)
    }
    holding.add("notifications.delivery")
    missing = holding - ROWS.keys() - NOT_EXPORTED.keys()
    assert not missing, f"Add these to the patient export (and to ROWS here): {sorted(missing)}"


def _section(data, path: tuple[str, ...]):
    found = [data]
    for key in path:
        if key == "*":
            found = [item for part in found for item in part]
        else:
            found = [part[key] for part in found]
    return found


def _rich_record(patient: User, clinician: User, supervisor: User) -> None:
    link_supervisor(patient, supervisor, clinician)
    fill(patient)
    record_clean_tests(clinician, patient)
    acknowledge_safety(patient)
    alert_card_issue(actor=patient, patient=patient, card_format=CardFormat.PAGE)
    preference_update(
        actor=patient,
        email_enabled=True,
        sms_enabled=False,
        sms_number="",
        quiet_start=None,
        quiet_end=None,
        include_details=False,
    )
    today = timezone.localdate()
    intake.procedure_record(
        actor=clinician,
        patient=patient,
        description="Dental work",
        planned_on=today + dt.timedelta(days=90),
        opioid_pain_relief_expected=False,
    )
    intake.pregnancy_advice_record(actor=clinician, patient=patient, given_on=today)
    intake.washout_plan_record(
        actor=clinician,
        patient=patient,
        plan=WashoutPlan(
            specialist="Dr Specialist",
            last_injection_on=today - dt.timedelta(days=60),
            earliest_first_dose=today - dt.timedelta(days=1),
            plan="Agreed with the specialist service.",
        ),
    )
    intake.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    naloxone_kit_record(actor=patient, patient=patient, expires_on=today + dt.timedelta(days=300))
    plan = plan_create(
        actor=clinician, patient=patient, data=plan_in(start=today, supervisors=[supervisor])
    )
    # The first dose, witnessed at the clinic (a reason given in case the test runs late in the
    # day), and a counselling session.
    dose_outcome_record(
        actor=clinician,
        dose=plan.doses.get(local_date=selectors.patient_today(patient)),
        outcome="witnessed",
        late_reason="Recorded after the clinic visit",
    )
    open_every_day(clinician)
    book(patient, clinician)
    concern_raise(
        actor=supervisor, patient=patient, what_seen="Seemed unwell this morning.", worry="a_little"
    )
    task_raise(patient=patient, kind="intake.review", rule_code="test.rule", trigger_key="export")
    notification_queue(recipient=patient, kind="portal_update", event_key=f"export:{patient.pk}")


@pytest.fixture
def two_patients_one_supervisor(clinician, other_clinician, patient, other_patient):
    shared = make_user("shared.supervisor@test.example", Role.SUPERVISOR, name="Sam Shared")
    _rich_record(patient, clinician, shared)
    _rich_record(other_patient, other_clinician, shared)
    return patient, other_patient


def test_export_holds_every_row_of_the_patient_and_none_of_anyone_else(
    client, two_patients_one_supervisor
):
    patient, other = two_patients_one_supervisor
    client.force_login(patient)
    response = client.get(EXPORT)
    assert response.status_code == 200
    data = response.json()

    for label, (lookup, path) in ROWS.items():
        model = django_apps.get_model(label)
        expected = model.objects.filter(**{lookup: patient}).count()
        exported = _section(data, path)
        if label in SINGLE:
            assert len([x for x in exported if x]) == min(expected, 1), label
        else:
            exported_rows = [row for part in exported for row in part]
            if label == "audit.auditevent":
                # The export's own audit row is written while it is being built.
                expected -= 1
            assert len(exported_rows) == expected, label
        if label not in MAY_BE_EMPTY:
            assert expected, f"The test's record has no {label} row: add one to _rich_record"

    text = json.dumps(data)
    assert other.email not in text
    assert other.full_name not in text
    assert "Dr Owen Other" not in text  # the other patient's clinician
