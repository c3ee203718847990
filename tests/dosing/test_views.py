"""The dosing pages as people use them: one tap then confirm, plain refusals next to the field,
nothing changed on bad input, the supervisor sees only the consent's scope."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.dosing.models import DoseOutcome, NaloxoneKit, PlanVersion, TreatmentPlan
from tests.dosing.conftest import TODAY, dose_on
from tests.intake.conftest import reauthenticate

DAY2 = TODAY + dt.timedelta(days=1)


def test_supervisor_taps_an_outcome_then_confirms(client, started, supervisor, clock):
    clock.move_to(dt.datetime(2026, 6, 2, 8, 5, tzinfo=dt.UTC))
    client.force_login(supervisor)
    page = client.get(reverse("accounts:supervised-patient-detail", args=[started.patient_id]))
    body = page.content.decode()
    dose = dose_on(started, DAY2)
    tap = reverse("dosing:dose-record", args=[dose.pk]) + "?outcome=witnessed"
    assert tap.replace("&", "&amp;") in body or tap in body
    assert "Naloxone: if you find them unresponsive" in body
    for secret in ("PHQ", "AUDIT", "ALT", "urine", "Goal", "Stay off heroin"):
        assert secret not in body
    confirm = client.get(tap)
    assert "You are recording: <strong>I watched the dose being taken</strong>" in (
        confirm.content.decode()
    )
    assert not DoseOutcome.objects.filter(dose=dose).exists()  # nothing saved by the tap
    done = client.post(reverse("dosing:dose-record", args=[dose.pk]), {"outcome": "witnessed"})
    assert done.status_code == 302
    assert DoseOutcome.objects.get(dose=dose).recorded_by == supervisor
    again = client.post(
        reverse("dosing:dose-record", args=[dose.pk]), {"outcome": "missed"}, follow=True
    )
    assert "already recorded by Sue Supervisor" in again.content.decode()
    assert DoseOutcome.objects.filter(dose=dose).count() == 1


def test_a_late_record_without_a_reason_is_refused_next_to_the_field(
    client, started, supervisor, clock
):
    clock.move_to(dt.datetime(2026, 6, 2, 12, 0, tzinfo=dt.UTC))
    client.force_login(supervisor)
    dose = dose_on(started, DAY2)
    response = client.post(reverse("dosing:dose-record", args=[dose.pk]), {"outcome": "witnessed"})
    assert response.status_code == 200
    assert "This record is late: say why" in response.content.decode()
    assert not DoseOutcome.objects.filter(dose=dose).exists()


def test_a_patient_cannot_post_a_witnessed_outcome(client, started, patient, clock):
    clock.move_to(dt.datetime(2026, 6, 2, 8, 5, tzinfo=dt.UTC))
    client.force_login(patient)
    dose = dose_on(started, DAY2)
    response = client.post(reverse("dosing:dose-record", args=[dose.pk]), {"outcome": "witnessed"})
    assert response.status_code == 200
    assert "Choose what happened." in response.content.decode()
    assert not DoseOutcome.objects.filter(dose=dose).exists()


def test_the_patient_page_shows_protection_calendar_and_kit(client, started, patient, clock):
    clock.move_to(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC))
    client.force_login(patient)
    body = client.get(reverse("dosing:my-doses") + "?month=nonsense").content.decode()
    assert (
        "blocks the effect of opioids until about <strong>Tuesday 2 June, 9:05am</strong>" in body
    )
    assert "<caption>Your doses in June 2026, day by day</caption>" in body
    assert "25 mg: Taken, witnessed" in body  # words, not colour alone
    assert "Sue Supervisor" in body
    assert "Expiry date: <strong>" in body
    assert "1 of 1 doses taken (100%)" in body


def test_the_naloxone_kit_form_refuses_a_past_date(client, eligible):
    client.force_login(eligible)
    before = NaloxoneKit.objects.count()
    response = client.post(reverse("dosing:naloxone-kit"), {"expires_on": "2026-05-01"})
    assert response.status_code == 200
    assert "This kit has expired" in response.content.decode()
    response = client.post(reverse("dosing:naloxone-kit"), {"expires_on": "31/02/2026"})
    assert "Enter a real date" in response.content.decode()
    assert NaloxoneKit.objects.count() == before
    ok = client.post(reverse("dosing:naloxone-kit"), {"expires_on": "2027-06-01"})
    assert ok.status_code == 302
    assert NaloxoneKit.objects.count() == before + 1


def _plan_form(supervisor, **overrides):
    data = {
        "goal": "Stay off heroin",
        "effective_from": "2026-06-02",
        "schedule": "daily",
        "supervision_time": "09:00",
        "supervisor_ids": [supervisor.pk],
        "planned_review": "2026-09-02",
        "planned_end": "2027-06-02",
    }
    data.update(overrides)
    return data


def test_the_plan_form_shows_each_problem_and_saves_nothing(
    client, eligible, clinician, supervisor
):
    client.force_login(clinician)
    reauthenticate(client, clinician)
    url = reverse("dosing:plan-create", args=[eligible.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        _plan_form(
            supervisor,
            planned_end="2027-01-01",
            schedule="every_9",
            supervision_time="25:99",
            supervisor_ids=[999999],
        ),
    )
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "Choose a schedule." in body
    assert "Enter a time like 9:00 or 18:30." in body
    assert "Choose only supervisors from the list." in body
    short = client.post(url, _plan_form(supervisor, planned_end="2027-01-01"))
    assert "Plan at least 12 months of treatment" in short.content.decode()
    assert not TreatmentPlan.objects.exists()
    ok = client.post(url, _plan_form(supervisor))
    plan = TreatmentPlan.objects.get()
    assert ok["Location"] == reverse("dosing:plan-detail", args=[plan.pk])


def test_the_supervision_time_field_shows_hours_and_minutes_only(client, eligible, clinician):
    # Seconds would add a third part to the time field that nobody needs to type past.
    client.force_login(clinician)
    reauthenticate(client, clinician)
    body = client.get(reverse("dosing:plan-create", args=[eligible.pk])).content.decode()
    assert 'name="supervision_time" value="09:00"' in body


def test_the_plan_page_stop_and_timeline(client, started, clinician):
    client.force_login(clinician)
    reauthenticate(client, clinician)
    page = client.get(reverse("dosing:plan-detail", args=[started.pk])).content.decode()
    assert "<caption>Every version of the plan, newest first</caption>" in page
    stop = reverse("dosing:plan-change", args=[started.pk, "stop"])
    refused = client.post(stop, {"reason": ""})
    assert "Give a reason for this change." in refused.content.decode()
    assert PlanVersion.objects.filter(plan=started).count() == 1
    assert client.post(stop, {"reason": "Patient chose to stop"}).status_code == 302
    assert PlanVersion.objects.filter(plan=started).count() == 2
    assert client.get(reverse("dosing:plan-change", args=[started.pk, "nope"])).status_code == 404
    timeline = client.get(reverse("dosing:timeline", args=[started.patient_id])).content.decode()
    assert "Plan version 2: Stopped" in timeline
    assert "25 mg dose: Taken, witnessed" in timeline
    assert AuditEvent.objects.filter(
        action="audit.record_viewed", detail={"what": "treatment_timeline"}
    ).exists()


def test_a_clinician_corrects_a_record_through_the_page(client, started, clinician):
    client.force_login(clinician)
    first = DoseOutcome.objects.get(dose__plan=started)
    url = reverse("dosing:outcome-correct", args=[first.pk])
    page = client.get(reverse("dosing:plan-detail", args=[started.pk])).content.decode()
    assert url in page
    refused = client.post(url, {"outcome": "missed", "reason": ""})
    assert "Give a reason for this change." in refused.content.decode()
    assert DoseOutcome.objects.filter(dose__plan=started).count() == 1
    done = client.post(url, {"outcome": "refused", "reason": "Entered on the wrong day"})
    assert done.status_code == 302
    first.refresh_from_db()
    assert not first.is_current
    assert client.get(url).status_code == 404  # only the current record can be corrected


def test_the_timeline_lists_doses_nobody_recorded(client, started, clinician, clock):
    clock.move_to(dt.datetime(2026, 6, 3, 12, 0, tzinfo=dt.UTC))
    client.force_login(clinician)
    body = client.get(reverse("dosing:timeline", args=[started.patient_id])).content.decode()
    assert body.count("50 mg dose: not recorded") == 2  # 2 and 3 June
    assert "Plan version 1: Plan started" in body
