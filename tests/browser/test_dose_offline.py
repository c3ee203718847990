"""The supervisor's dose confirmation survives a dropped connection: confirmed while offline,
it is kept on the phone and sent once, with its idempotency key, when the phone is back online.

It drives the JSON endpoint `POST /api/v1/doses/<id>/outcome/` (the API's contract)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from apps.dosing.models import DoseOutcome, ScheduledDose
from tests.dosing.world import make_plan

pytestmark = pytest.mark.browser


def _dose_due_now(patient, clinician, supervisor) -> ScheduledDose:
    """Yesterday's dose witnessed (so this is not the first dose), today's due ten minutes ago."""
    plan = make_plan(patient, clinician, supervisor)
    ScheduledDose.objects.filter(plan=plan).update(
        local_date=F("local_date") - dt.timedelta(days=1), due_at=F("due_at") - dt.timedelta(days=1)
    )
    first = ScheduledDose.objects.filter(plan=plan).order_by("due_at").first()
    assert first is not None
    DoseOutcome.objects.create(
        dose=first,
        outcome="witnessed",
        taken_at=first.due_at,
        recorded_by=clinician,
        recorded_at=timezone.now(),
    )
    today = ScheduledDose.objects.filter(plan=plan).order_by("due_at")[1]
    today.due_at = timezone.now() - dt.timedelta(minutes=10)
    today.save(update_fields=["due_at"])
    return today


def test_a_confirmation_made_offline_is_sent_once_back_online(
    signed_in_page, live_server, patient, clinician, supervisor, consent
):
    dose = _dose_due_now(patient, clinician, supervisor)
    page = signed_in_page(supervisor, width=360)
    sent: list[dict[str, str]] = []
    page.on(
        "request",
        lambda r: (
            sent.append(r.headers) if "/api/v1/doses/" in r.url and r.method == "POST" else None
        ),
    )
    page.goto(live_server.url + reverse("core:supervisor-dashboard"))
    # One tap: the confirm step comes into the card (htmx), then the connection drops.
    page.get_by_role("link", name="Taken, witnessed").first.click()
    page.get_by_role("button", name="Confirm").wait_for()
    page.context.set_offline(True)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Saved on this phone, will send when you are back online").wait_for()
    assert (
        page.evaluate("JSON.parse(localStorage.getItem('portal.pendingDoseOutcomes')).length") == 1
    )
    assert not DoseOutcome.objects.filter(dose=dose).exists()

    page.context.set_offline(False)
    page.get_by_text("Sent", exact=True).wait_for(timeout=10000)
    assert (
        page.evaluate("JSON.parse(localStorage.getItem('portal.pendingDoseOutcomes')).length") == 0
    )
    recorded = DoseOutcome.objects.get(dose=dose, is_current=True)
    assert recorded.outcome == "witnessed"
    assert recorded.recorded_by_id == supervisor.pk
    assert len(sent) == 1
    assert sent[0].get("idempotency-key")
    assert sent[0].get("x-csrftoken")


def test_a_dose_recorded_meanwhile_says_who_recorded_it(
    signed_in_page, live_server, patient, clinician, supervisor, consent
):
    dose = _dose_due_now(patient, clinician, supervisor)
    page = signed_in_page(supervisor, width=360)
    page.goto(
        live_server.url
        + reverse("dosing:dose-record", args=[dose.pk])
        + "?outcome=witnessed&from=dashboard"
    )
    # The clinician records it while the supervisor's page is open.
    DoseOutcome.objects.create(
        dose=dose,
        outcome="witnessed",
        taken_at=dose.due_at,
        recorded_by=clinician,
        recorded_at=timezone.now(),
    )
    page.get_by_role("button", name="Confirm").click()
    # From the API's 409 once it is there; from the plain form's answer before that.
    page.get_by_text(re.compile(r"already (been )?recorded by")).wait_for(timeout=10000)
    assert clinician.display_name in page.inner_text("main")
    assert DoseOutcome.objects.filter(dose=dose).count() == 1
