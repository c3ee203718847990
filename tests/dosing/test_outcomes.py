"""Dose outcomes (DOMAIN.md section 4): who may record what, one outcome per dose, late records
need a reason, corrections supersede, consent revoked mid-day, protected-until."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts import services as account_services
from apps.accounts.models import SupervisorConsent
from apps.audit.models import AuditEvent
from apps.content.cards import card_dose_info
from apps.content.panels import overdose_panel_for
from apps.core.exceptions import ServiceError
from apps.dosing import selectors, services
from apps.dosing.models import DoseOutcome
from apps.intake.models import Pathway, PathwayState
from tests.dosing.conftest import TODAY, dose_on

DAY2 = TODAY + dt.timedelta(days=1)


def at(day, hour, minute=0):
    """A UTC moment; in June London is UTC+1."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def test_the_first_dose_moves_the_pathway_to_induction_and_the_next_to_maintenance(
    started, supervisor, clock
):
    assert Pathway.objects.get(patient=started.patient).state == PathwayState.INDUCTION
    clock.move_to(at(DAY2, 8, 10))
    result = services.dose_outcome_record(
        actor=supervisor, dose=dose_on(started, DAY2), outcome="witnessed"
    )
    assert result.created
    assert Pathway.objects.get(patient=started.patient).state == PathwayState.MAINTENANCE
    event = AuditEvent.objects.filter(action="dosing.outcome_recorded").latest("pk")
    assert event.detail["outcome"] == "witnessed"
    assert "note" not in event.detail


def test_the_first_dose_is_recorded_by_the_clinician_only(plan, supervisor, clock):
    clock.move_to(at(TODAY, 8, 5))
    with pytest.raises(ServiceError, match="at the clinic"):
        services.dose_outcome_record(
            actor=supervisor, dose=dose_on(plan, TODAY), outcome="witnessed"
        )
    assert not DoseOutcome.objects.exists()


def test_a_second_record_of_the_same_dose_says_who_recorded_it(started, supervisor, patient, clock):
    clock.move_to(at(DAY2, 8, 10))
    services.dose_outcome_record(actor=supervisor, dose=dose_on(started, DAY2), outcome="witnessed")
    again = services.dose_outcome_record(
        actor=patient, dose=dose_on(started, DAY2), outcome="self_reported"
    )
    assert not again.created
    assert again.message.startswith("This dose was already recorded by Sue Supervisor")
    assert DoseOutcome.objects.filter(dose__local_date=DAY2).count() == 1


def test_self_reported_only_by_the_patient_and_witnessed_never_by_the_patient(
    started, patient, supervisor, clock
):
    clock.move_to(at(DAY2, 8, 10))
    dose = dose_on(started, DAY2)
    with pytest.raises(PermissionDenied):
        services.dose_outcome_record(actor=patient, dose=dose, outcome="witnessed")
    with pytest.raises(PermissionDenied):
        services.dose_outcome_record(actor=supervisor, dose=dose, outcome="self_reported")
    assert services.dose_outcome_record(actor=patient, dose=dose, outcome="self_reported").created


def test_a_supervisor_without_consent_cannot_record(started, stray_supervisor, clock):
    clock.move_to(at(DAY2, 8, 10))
    with pytest.raises(PermissionDenied):
        services.dose_outcome_record(
            actor=stray_supervisor, dose=dose_on(started, DAY2), outcome="witnessed"
        )


def test_consent_revoked_mid_day_refuses_the_next_confirmation(started, supervisor, patient, clock):
    clock.move_to(at(DAY2, 8, 10))
    services.dose_outcome_record(actor=supervisor, dose=dose_on(started, DAY2), outcome="witnessed")
    day3 = DAY2 + dt.timedelta(days=1)
    clock.move_to(at(day3, 7, 30))  # 8:30am: the patient ends the consent
    consent = SupervisorConsent.objects.get(patient=patient, supervisor=supervisor)
    account_services.consent_revoke(actor=patient, consent=consent)
    clock.move_to(at(day3, 8, 10))
    with pytest.raises(PermissionDenied):
        services.dose_outcome_record(
            actor=supervisor, dose=dose_on(started, day3), outcome="witnessed"
        )
    assert not DoseOutcome.objects.filter(dose__local_date=day3).exists()


def test_a_record_past_the_tier_1_time_needs_a_reason(started, supervisor, clock):
    dose = dose_on(started, DAY2)  # due 08:00 UTC (9:00am BST)
    clock.move_to(at(DAY2, 10, 0))  # exactly 2 hours: not late yet
    services.dose_outcome_record(actor=supervisor, dose=dose, outcome="missed")
    dose3 = dose_on(started, DAY2 + dt.timedelta(days=1))
    clock.move_to(at(DAY2 + dt.timedelta(days=1), 10, 1))
    with pytest.raises(ServiceError) as err:
        services.dose_outcome_record(actor=supervisor, dose=dose3, outcome="witnessed")
    assert err.value.field == "late_reason"
    row = services.dose_outcome_record(
        actor=supervisor,
        dose=dose3,
        outcome="witnessed",
        late_reason="Taken on time, no signal to record it",
        taken_at=at(DAY2 + dt.timedelta(days=1), 8, 5),
    ).outcome
    assert row.late_reason.startswith("Taken on time")
    assert row.taken_at == at(DAY2 + dt.timedelta(days=1), 8, 5)


def test_a_dose_not_due_yet_cannot_be_recorded(started, supervisor):
    with pytest.raises(ServiceError, match="not due yet"):
        services.dose_outcome_record(
            actor=supervisor, dose=dose_on(started, DAY2), outcome="witnessed"
        )


def test_a_correction_supersedes_and_never_overwrites(started, supervisor, clinician, clock):
    clock.move_to(at(DAY2, 8, 10))
    first = services.dose_outcome_record(
        actor=supervisor, dose=dose_on(started, DAY2), outcome="missed"
    ).outcome
    fixed = services.dose_outcome_correct(
        actor=clinician, previous=first, outcome="witnessed", reason="Seen at the pharmacy"
    )
    first.refresh_from_db()
    assert (first.outcome, first.is_current) == ("missed", False)
    assert (fixed.supersedes_id, fixed.is_current) == (first.pk, True)
    with pytest.raises(ServiceError, match="already been corrected"):
        services.dose_outcome_correct(
            actor=clinician, previous=first, outcome="refused", reason="again"
        )
    with pytest.raises(PermissionDenied):
        services.dose_outcome_correct(
            actor=supervisor, previous=fixed, outcome="refused", reason="wrong"
        )


# --- Protected-until -------------------------------------------------------------------------------


def test_protected_until_counts_from_the_last_dose_taken_by_mg(started, supervisor, clock):
    # The 25 mg first dose at 08:05 UTC protects 24 hours (the 50 mg figure).
    protection = selectors.protection_for(patient_id=started.patient_id)
    assert protection.protected_until == at(DAY2, 8, 5)
    clock.move_to(at(DAY2, 8, 10))
    services.dose_outcome_record(actor=supervisor, dose=dose_on(started, DAY2), outcome="vomited")
    # Vomited does not protect: still the first dose.
    assert selectors.protection_for(patient_id=started.patient_id).protected_until == at(DAY2, 8, 5)


@pytest.mark.parametrize(("mg", "hours"), [(50, 24), (100, 48), (150, 72)])
def test_protected_hours_follow_the_dose(mg, hours):
    from apps.clinic.models import ClinicSettings

    assert selectors.protected_hours(mg, ClinicSettings()) == hours


def test_the_alert_card_and_overdose_panel_read_the_dose_log(started, patient, supervisor, clock):
    info = card_dose_info(patient.pk)
    assert info.dose_and_schedule == "50 mg (one tablet) every day, at 9:00am"
    assert info.last_witnessed_at == at(TODAY, 8, 5)
    assert info.blocked_until == at(DAY2, 8, 5)
    assert overdose_panel_for(patient) is None
    clock.move_to(at(DAY2, 8, 6))  # protection has run out, nothing recorded
    panel = overdose_panel_for(patient)
    assert panel is not None
    assert panel.context["reason"] == "unprotected"


def test_protected_until_reads_as_people_say_it_across_the_autumn_change():
    from apps.dosing.schedule import when_words

    # 72 hours after Friday 23 October 2026 9:00am BST is Monday 26 October 8:00am GMT.
    taken = dt.datetime(2026, 10, 23, 8, 0, tzinfo=dt.UTC)
    assert when_words(taken + dt.timedelta(hours=72), "Europe/London") == "Monday 8:00am"


def test_protected_until_reads_as_people_say_it_across_the_spring_change():
    from apps.dosing.schedule import when_words

    # 48 hours after Friday 27 March 2026 9:00am GMT is Sunday 29 March 10:00am BST.
    taken = dt.datetime(2026, 3, 27, 9, 0, tzinfo=dt.UTC)
    assert when_words(taken + dt.timedelta(hours=48), "Europe/London") == "Sunday 10:00am"


def test_the_alert_card_page_prints_the_dose_lines(client, started, patient):
    client.force_login(patient)
    body = client.get(reverse("content:alert-card-mine"), follow=True).content.decode()
    assert "50 mg (one tablet) every day, at 9:00am" in body
    assert "not recorded yet" not in body
