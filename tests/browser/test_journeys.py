"""The three daily journeys in a real browser, each once with the mouse and once by keyboard
only: the patient (invited to a booked counselling session), the supervisor (invited to a
confirmed dose and a concern) and the clinician (two-factor sign-in to a closed missed-dose
alert). Every page they visit passes axe-core at phone and desktop widths; the mouse pass saves
the screenshots in docs/screenshots/.

The clock stands still at a fixed Monday morning in June (time-machine, as the dosing tests do),
so every run sees the same dates. Steps taken by someone else (the clinician's approval in the
patient's journey, lab results) go through the services."""

from __future__ import annotations

import datetime as dt
import re
import time
from importlib import import_module
from typing import Any

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.content.selectors import safety_version_current
from apps.content.services import safety_acknowledge
from apps.dosing import escalation
from apps.dosing import services as dosing_services
from apps.dosing.escalation_models import Concern, UrgentTaskClosure
from apps.dosing.models import ScheduledDose
from apps.intake import services as intake_services
from apps.intake.demo import demo_answers, record_clean_results
from apps.intake.models import PathwayState
from apps.intake.questionnaire import BY_KEY
from apps.intake.selectors import pathway_state_of
from tests.browser.journeys import DESKTOP, PHONE, Driver, Words
from tests.conftest import PASSWORD, TOTP_SECRET, make_user
from tests.counselling.helpers import open_every_day
from tests.dosing.escalation_helpers import make_plan, record

pytestmark = pytest.mark.browser

# Monday 1 June 2026, 8:50am in London (7:50 UTC): before the 9:00am doses.
NOW = dt.datetime(2026, 6, 1, 7, 50, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 1)
YESTERDAY = TODAY - dt.timedelta(days=1)
MODES = ["mouse", "keyboard"]
NEW_PASSWORD = "a-new-long-password-for-the-journey"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def safety_published(transactional_db):
    """The shipped safety messages (a data migration); transactional tests empty the database
    after each test, so publish them again when they are gone."""
    if safety_version_current() is None:
        shipped = import_module("apps.content.migrations.0003_safety_messages_v1")
        shipped.publish(django_apps, None)
    assert safety_version_current() is not None
    return safety_version_current()


@pytest.fixture
def drive(browser, live_server):
    """A fresh browser context (its own cookies) per journey, closed at the end."""
    contexts = []

    def open_driver(mode: str, *, width: int) -> Driver:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        keyboard = mode == "keyboard"
        # axe checks the pages in the mouse pass; the keyboard pass visits the same pages.
        return Driver(
            page=page, base_url=live_server.url, keyboard=keyboard, axe=not keyboard, width=width
        )

    yield open_driver
    for context in contexts:
        context.close()


def heading(driver: Driver, words: str | re.Pattern[str]) -> Any:
    return driver.page.get_by_role("heading", name=words)


# --- Patient ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_patient_journey(clock, drive, clinician, safety_published, mode):
    open_every_day(clinician)
    invitation = account_services.invitation_create(
        actor=clinician, email="jo.patient@test.example", full_name="Jo Patel", role=Role.PATIENT
    )
    d = drive(mode, width=PHONE)

    # Invited: the link in the e-mail; a password of their own.
    d.goto(
        reverse("accounts:invitation-accept", args=[account_services.invitation_token(invitation)])
    )
    d.fill(d.page.get_by_label("Choose a password"), NEW_PASSWORD)
    d.fill(d.page.get_by_label("Type the password again"), NEW_PASSWORD)
    d.follow(d.page.get_by_role("button", name="Create my account"))
    expect(heading(d, re.compile("Jo Patel"))).to_be_visible()
    patient = User.objects.get(email="jo.patient@test.example")

    # The questionnaire, part by part.
    d.follow(d.page.get_by_role("link", name=Words.questionnaire_link).first)
    answers = demo_answers(TODAY)
    for part in answers:
        title = BY_KEY[part].title
        # "Save and continue" opens the next part; the task list links to every part.
        if not heading(d, title).is_visible():
            d.follow(d.page.get_by_role("link", name=title, exact=True))
        d.fill_form(answers[part])
        d.follow(d.page.get_by_role("button", name="Save and continue"))
    if not d.keyboard:
        d.screenshot("patient-questionnaire", width=PHONE)
    d.follow(d.page.get_by_role("button", name="Send my answers to the clinic"))
    expect(d.page.get_by_text("Your answers have been sent").first).to_be_visible()

    # The five safety messages, read and acknowledged.
    d.go_home()
    d.follow(d.page.get_by_role("link", name=Words.read_safety).first)
    d.tick(d.page.get_by_label(re.compile("I have read these safety messages")))
    d.follow(d.page.get_by_role("button", name="Continue"))
    expect(d.page.get_by_text("You have acknowledged the safety messages")).to_be_visible()

    # Meanwhile the clinic records clean results and the clinician finds them eligible.
    record_clean_results(clinician, patient, today=TODAY)
    intake_services.support_record(
        actor=clinician, patient=patient, clinic_supervision=True, counselling_plan="clinic"
    )
    intake_services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)

    # The naloxone kit at home, from "Your doses".
    d.follow(d.nav_link("Your doses"))
    d.follow(d.page.get_by_role("link", name=re.compile("naloxone kit", re.I)))
    d.date(d.page.get_by_label("Expiry date on the kit"), "2027-03-31")
    d.follow(d.page.get_by_role("button", name="Save"))

    # The clinician starts a plan and watches the first dose (half a tablet) at the clinic.
    plan = dosing_services.plan_create(actor=clinician, patient=patient, data=plan_in(clinic=True))
    clock.move_to(NOW + dt.timedelta(minutes=15))  # 9:05am
    first = ScheduledDose.objects.get(plan=plan, local_date=TODAY)
    dosing_services.dose_outcome_record(actor=clinician, dose=first, outcome="witnessed")

    d.go_home()
    expect(d.page.get_by_text(Words.protected_until).first).to_be_visible()
    if not d.keyboard:
        d.screenshot("patient-dashboard", width=PHONE)

    # Books a counselling session.
    d.follow(d.page.get_by_role("link", name=Words.book_session).first)
    d.follow(d.page.get_by_role("button", name=re.compile("^Book ")).first)
    expect(d.page.get_by_text(re.compile("Appointment booked for"))).to_be_visible()
    d.assert_clean()


# --- Supervisor ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_supervisor_journey(clock, drive, patient, clinician, safety_published, mode):
    # Yesterday, 8:00am: Pat is eligible and asks Sam to supervise their doses.
    clock.move_to(NOW - dt.timedelta(days=1, minutes=50))
    make_eligible(patient, clinician, safety_published)
    consent = account_services.consent_grant(
        actor=patient,
        supervisor_name="Sam Okafor",
        supervisor_email="sam.okafor@test.example",
        relationship="friend",
        expires_at=None,
        signed=True,
    )
    d = drive(mode, width=PHONE)

    # Sam accepts the invitation and sets a password.
    d.goto(
        reverse(
            "accounts:invitation-accept",
            args=[account_services.invitation_token(consent.invitation)],
        )
    )
    d.fill(d.page.get_by_label("Choose a password"), NEW_PASSWORD)
    d.fill(d.page.get_by_label("Type the password again"), NEW_PASSWORD)
    d.follow(d.page.get_by_role("button", name="Agree and create my account"))
    expect(heading(d, re.compile("Sam Okafor"))).to_be_visible()
    sam = User.objects.get(email="sam.okafor@test.example")

    # The clinician confirms Sam, starts the plan, and gives the first dose at the clinic.
    consent.refresh_from_db()
    account_services.consent_confirm(actor=clinician, consent=consent)
    plan = dosing_services.plan_create(
        actor=clinician, patient=patient, data=plan_in(start=YESTERDAY, supervisors=[sam])
    )
    clock.move_to(NOW - dt.timedelta(days=1) + dt.timedelta(minutes=15))
    first = ScheduledDose.objects.get(plan=plan, local_date=YESTERDAY)
    dosing_services.dose_outcome_record(actor=clinician, dose=first, outcome="witnessed")

    # This morning, 8:50am: Sam signs in and confirms today's dose.
    clock.move_to(NOW)
    d.goto(reverse("account_login"))
    d.sign_in("sam.okafor@test.example", NEW_PASSWORD)
    # Straight from the dashboard: one tap on what happened, the confirm step opens in place.
    card = d.page.get_by_role("region", name="Pat Patient")
    expect(card).to_be_visible()
    d.activate(card.get_by_role("link", name=Words.witnessed_for))
    confirm = d.page.get_by_role("button", name="Confirm")
    confirm.wait_for()
    if not d.keyboard:
        d.screenshot("supervisor-confirm-dose", width=PHONE)
    d.activate(confirm)
    expect(d.page.get_by_text(Words.dose_recorded).first).to_be_visible(timeout=10000)
    today = ScheduledDose.objects.get(plan=plan, local_date=TODAY)
    assert today.outcomes.get().outcome == "witnessed"
    assert today.outcomes.get().recorded_by == sam
    d.go_home()
    if not d.keyboard:
        d.screenshot("supervisor-dashboard", width=PHONE)

    # Raises a concern.
    d.follow(d.page.get_by_role("link", name="Pat Patient").first)
    d.follow(d.page.get_by_role("link", name=Words.raise_concern))
    d.fill(
        d.page.get_by_label("What did you see or hear?"), "Very sleepy at the dose this morning."
    )
    d.choose(d.page.get_by_label("Quite worried"))
    d.follow(d.page.get_by_role("button", name="Send to the clinic"))
    expect(d.page.get_by_text(re.compile("Received by the clinic")).first).to_be_visible()
    assert Concern.objects.get(patient=patient).supervisor == sam
    d.assert_clean()


# --- Clinician ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_clinician_journey(clock, drive, clinician, patient, safety_published, mode):
    # Pat started four days ago; the last two doses have no record.
    plan = make_plan(patient, clinician, start=TODAY - dt.timedelta(days=4))
    for days_ago in (4, 3):
        record(plan, TODAY - dt.timedelta(days=days_ago), "witnessed", clinician)
    # The sweep, as beat runs it every 5 minutes, then delivery of what it raised.
    escalation.escalation_sweep(now=NOW)
    escalation.alerts_deliver_pending()
    # Robin has sent the questionnaire; the clinic has recorded clean results.
    robin = make_user(
        "robin.hale@test.example", Role.PATIENT, clinician=clinician, name="Robin Hale"
    )
    for part, answers in demo_answers(TODAY).items():
        intake_services.questionnaire_step_save(actor=robin, step=part, answers=answers)
    intake_services.questionnaire_submit(actor=robin)
    record_clean_results(clinician, robin, today=TODAY)
    intake_services.support_record(
        actor=clinician, patient=robin, clinic_supervision=True, counselling_plan="clinic"
    )

    d = drive(mode, width=DESKTOP)
    d.goto(reverse("account_login"))
    d.sign_in(clinician.email, PASSWORD, code=totp_now(TOTP_SECRET))
    expect(d.page.get_by_role("heading", name=Words.urgent_panel)).to_be_visible()
    if not d.keyboard:
        d.go_home()  # without the one-off "signed in" banner
        d.screenshot("clinician-dashboard", width=DESKTOP)

    # Reviews Robin's intake and records the decision.
    d.follow(d.page.get_by_role("link", name="Robin Hale").first)
    d.follow(d.page.get_by_role("link", name="Decide"))
    d.follow(d.page.get_by_role("button", name="Record: eligible"))
    assert pathway_state_of(robin) == PathwayState.ELIGIBLE

    # Starts Robin's plan: daily, first dose tomorrow at 10:00am, watched at the clinic.
    d.go_home()
    d.follow(
        d.page.get_by_role("link", name=re.compile("set up the treatment plan for Robin Hale"))
    )
    d.confirm_password_if_asked(PASSWORD)  # changing a plan asks for the password again
    tomorrow = TODAY + dt.timedelta(days=1)
    d.fill(d.page.get_by_label("Goal of treatment"), "Stay off heroin and go back to college.")
    d.date(d.page.get_by_label(re.compile("First day")), tomorrow.isoformat())
    d.choose(d.page.get_by_label("50 mg (one tablet) every day"))
    d.time(d.page.get_by_label(re.compile("Supervision time")), "10:00")
    d.tick(d.page.get_by_label("The clinic or a pharmacy supervises doses"))
    d.date(d.page.get_by_label("Planned review"), (tomorrow + dt.timedelta(days=90)).isoformat())
    d.date(d.page.get_by_label("Planned end"), dosing_services.add_months(tomorrow, 12).isoformat())
    d.follow(d.page.get_by_role("button", name="Save the plan"))
    expect(d.page.get_by_text("Treatment plan saved")).to_be_visible()

    # The missed-dose alert: call Pat back, record the outcome, confirm.
    d.follow(d.nav_link("Worklist"))
    d.follow(
        d.page.get_by_role(
            "link", name=re.compile("Record the call and close the task for Pat")
        ).first
    )
    d.choose(d.page.get_by_role("group", name="What happened?").get_by_role("radio").first)
    d.fill(d.page.get_by_label("Who did you call (or try to call)?"), "The patient")
    d.datetime(d.page.get_by_label("When did you call?"), "2026-06-01T08:45")
    d.fill(
        d.page.get_by_label("Note"),
        "Spoke to Pat. Early appointment booked for tomorrow morning.",
    )
    d.follow(d.page.get_by_role("button", name="Continue"))
    if not d.keyboard:
        d.screenshot("clinician-close-alert", width=DESKTOP)
    d.follow(d.page.get_by_role("button", name="Yes, close this task"))
    assert UrgentTaskClosure.objects.filter(task__patient=patient).exists()
    d.assert_clean()


def totp_now(secret: str) -> str:
    """The code an authenticator app shows now, by the portal's own two-factor library."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def make_eligible(patient: User, clinician: User, safety: Any) -> None:
    """Questionnaire sent, clean results, found eligible, safety messages read, naloxone kit."""
    for part, answers in demo_answers(TODAY).items():
        intake_services.questionnaire_step_save(actor=patient, step=part, answers=answers)
    intake_services.questionnaire_submit(actor=patient)
    record_clean_results(clinician, patient, today=timezone.localdate())
    intake_services.decision_eligible(actor=clinician, patient=patient, confirm_off_label=False)
    safety_acknowledge(actor=patient, version=safety)
    dosing_services.naloxone_kit_record(
        actor=patient, patient=patient, expires_on=TODAY + dt.timedelta(days=300)
    )


def plan_in(*, start: dt.date = TODAY, supervisors=(), clinic: bool = False):
    return dosing_services.PlanIn(
        goal="Stay off heroin and keep my job",
        treatment_start=start,
        planned_review=start + dt.timedelta(days=90),
        planned_end=dosing_services.add_months(start, 12),
        schedule=dosing_services.ScheduleIn(
            schedule="daily",
            supervision_time=dt.time(9),
            effective_from=start,
            supervisor_ids=tuple(s.pk for s in supervisors),
            clinic_supervision=clinic,
        ),
    )
