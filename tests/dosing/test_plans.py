"""Plans: created from an eligible patient by the responsible clinician, versioned changes that
regenerate future doses only, stop and discharge with the safety message, filling ahead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditEvent
from apps.core.exceptions import ServiceError
from apps.dosing import services
from apps.dosing.models import DoseOutcome, PlanStatus, ScheduledDose, TreatmentPlan
from apps.dosing.tasks import fill_scheduled_doses
from apps.intake.models import Pathway, PathwayState
from apps.notifications.models import Notification
from tests.dosing.conftest import TODAY, dose_on, plan_in


def test_the_responsible_clinician_creates_a_plan_with_25_mg_first_and_doses_ahead(
    plan, eligible, clinician, supervisor
):
    version = plan.versions.get()
    assert (version.number, version.change, version.induction_first) == (1, "start", True)
    assert list(version.supervisors.all()) == [supervisor]
    doses = list(ScheduledDose.objects.filter(plan=plan))
    assert doses[0].mg == 25
    assert doses[0].due_at == dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)  # 9:00am BST
    assert {d.mg for d in doses[1:]} == {50}
    assert len(doses) == 29  # today and the 28-day window
    assert plan.indication == "opioid"
    assert AuditEvent.objects.filter(action="dosing.plan_created", patient_id=eligible.pk).exists()
    # The pathway waits at "eligible" until the first dose is given.
    assert Pathway.objects.get(patient=eligible).state == PathwayState.ELIGIBLE


def test_a_plan_needs_an_eligible_patient(patient, clinician, supervisor, consent):
    with pytest.raises(ServiceError, match="eligible"):
        services.plan_create(actor=clinician, patient=patient, data=plan_in())
    assert not TreatmentPlan.objects.exists()


def test_only_the_responsible_clinician_creates_a_plan(eligible, other_clinician, supervisor):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=other_clinician, patient=eligible, data=plan_in(supervisors=[supervisor])
        )


def test_a_plan_lasts_at_least_12_months(eligible, clinician, supervisor):
    data = plan_in(supervisors=[supervisor])
    short = services.PlanIn(**{**data.__dict__, "planned_end": dt.date(2027, 5, 31)})
    with pytest.raises(ServiceError) as err:
        services.plan_create(actor=clinician, patient=eligible, data=short)
    assert err.value.field == "planned_end"
    exact = services.PlanIn(**{**data.__dict__, "planned_end": dt.date(2027, 6, 1)})
    services.plan_create(actor=clinician, patient=eligible, data=exact)


def test_supervisors_must_have_consent_in_force(eligible, clinician, stray_supervisor):
    with pytest.raises(ServiceError) as err:
        services.plan_create(
            actor=clinician, patient=eligible, data=plan_in(supervisors=[stray_supervisor])
        )
    assert err.value.field == "supervisor_ids"
    with pytest.raises(ServiceError, match="at least one supervisor"):
        services.plan_create(actor=clinician, patient=eligible, data=plan_in())
    services.plan_create(actor=clinician, patient=eligible, data=plan_in(clinic=True))


def test_a_new_schedule_regenerates_future_doses_only(started, clinician, supervisor, clock):
    # Day 3, 10:00am: days 1-3 are in the past (day 3's dose was due at 9:00am).
    clock.move_to(dt.datetime(2026, 6, 3, 9, 0, tzinfo=dt.UTC))
    past = {
        d.pk: (d.due_at, d.mg)
        for d in ScheduledDose.objects.filter(local_date__lte=TODAY + dt.timedelta(days=2))
    }
    version = services.plan_schedule_change(
        actor=clinician,
        plan=started,
        data=services.ScheduleIn(
            schedule="every_3",
            supervision_time=dt.time(18),
            effective_from=TODAY + dt.timedelta(days=3),
            supervisor_ids=(supervisor.pk,),
        ),
        reason="Evenings suit work",
    )
    assert version.number == 2
    assert {
        d.pk: (d.due_at, d.mg)
        for d in ScheduledDose.objects.filter(local_date__lte=TODAY + dt.timedelta(days=2))
    } == past
    future = list(ScheduledDose.objects.filter(local_date__gt=TODAY + dt.timedelta(days=2)))
    assert {d.mg for d in future} == {150}
    assert future[0].local_date == TODAY + dt.timedelta(days=3)
    assert future[0].due_at == dt.datetime(2026, 6, 4, 17, 0, tzinfo=dt.UTC)
    assert started.versions.count() == 2  # the old version stays readable
    assert AuditEvent.objects.filter(action="dosing.plan_changed").exists()


def test_stop_sends_the_safety_message_and_tells_supervisors(started, clinician, supervisor):
    services.plan_stop(actor=clinician, plan=started, reason="Patient chose to stop")
    started.refresh_from_db()
    assert started.status == PlanStatus.STOPPED
    assert not ScheduledDose.objects.filter(
        plan=started, outcomes__isnull=True, local_date__gt=TODAY
    ).exists()
    kinds = {(n.kind, n.recipient_id) for n in Notification.objects.all()}
    assert ("treatment_safety", started.patient_id) in kinds
    assert ("supervision_update", supervisor.pk) in kinds
    assert Pathway.objects.get(patient=started.patient).state == PathwayState.STOPPED
    # The witnessed first dose is still there.
    assert DoseOutcome.objects.filter(dose__plan=started).count() == 1


def test_discharge_ends_the_plan_and_moves_the_pathway_on(started, clinician):
    services.plan_discharge(actor=clinician, plan=started, reason="Completed 12 months")
    assert Pathway.objects.get(patient=started.patient).state == PathwayState.DISCHARGED
    assert Notification.objects.filter(kind="treatment_safety").count() == 1
    with pytest.raises(ServiceError, match="ended"):
        services.plan_pause(
            actor=clinician, plan=started, effective_from=TODAY, reason="surgery soon"
        )


def test_pause_then_restart_at_25_mg(started, clinician, supervisor, clock):
    clock.move_to(dt.datetime(2026, 6, 2, 7, 0, tzinfo=dt.UTC))
    services.dose_outcome_record(
        actor=supervisor, dose=dose_on(started, TODAY + dt.timedelta(days=1)), outcome="witnessed"
    )
    services.plan_pause(
        actor=clinician,
        plan=started,
        effective_from=TODAY + dt.timedelta(days=3),
        reason="Knee surgery on the 7th",
    )
    started.refresh_from_db()
    assert started.status == PlanStatus.PAUSED
    assert not ScheduledDose.objects.filter(local_date__gte=TODAY + dt.timedelta(days=3)).exists()
    assert ScheduledDose.objects.filter(local_date=TODAY + dt.timedelta(days=2)).exists()
    assert Pathway.objects.get(patient=started.patient).state == PathwayState.PAUSED
    clock.move_to(dt.datetime(2026, 6, 10, 7, 0, tzinfo=dt.UTC))
    version = services.plan_restart(
        actor=clinician,
        plan=started,
        data=services.ScheduleIn(
            schedule="daily",
            supervision_time=dt.time(9),
            effective_from=dt.date(2026, 6, 10),
            supervisor_ids=(supervisor.pk,),
        ),
        reason="Urine screen negative after surgery",
    )
    assert version.induction_first
    assert dose_on(started, dt.date(2026, 6, 10)).mg == 25
    assert dose_on(started, dt.date(2026, 6, 11)).mg == 50
    assert Pathway.objects.get(patient=started.patient).state == PathwayState.INDUCTION


def test_filling_ahead_is_idempotent_and_follows_the_clock(plan, clock):
    count = ScheduledDose.objects.count()
    assert fill_scheduled_doses() == 0
    assert ScheduledDose.objects.count() == count
    clock.move_to(dt.datetime(2026, 6, 8, 7, 0, tzinfo=dt.UTC))
    assert fill_scheduled_doses() == 7
    assert fill_scheduled_doses() == 0
    days = list(ScheduledDose.objects.values_list("local_date", flat=True))
    assert len(days) == len(set(days))


def test_filling_ahead_uses_a_fixed_number_of_queries_per_plan(
    plan, clock, django_assert_max_num_queries
):
    clock.move_to(dt.datetime(2026, 6, 8, 7, 0, tzinfo=dt.UTC))
    # clinic settings, count, the plans with their current version, then per plan: savepoint,
    # insert, release; count.
    with django_assert_max_num_queries(8):
        services.doses_fill_ahead()
