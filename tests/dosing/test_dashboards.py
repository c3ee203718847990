"""The three dashboards as people use them: the patient's day at a glance, the supervisor's one
tap then confirm (with and without htmx), the clinician's worklist before the caseload."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from apps.accounts.roles import Role
from apps.dosing.models import DoseOutcome
from tests.conftest import link_supervisor, make_user
from tests.dosing.conftest import TODAY, dose_on

DAY2 = TODAY + dt.timedelta(days=1)
HTMX = {"HTTP_HX_REQUEST": "true"}


def _day2(clock):
    # Tuesday 2 June, 8:05am in London: today's 9:00am dose is due and not yet recorded.
    clock.move_to(dt.datetime(2026, 6, 2, 7, 5, tzinfo=dt.UTC))


# --- Patient -------------------------------------------------------------------------------------


def test_the_patient_sees_todays_dose_supervisor_and_protection_in_words(
    client, started, patient, supervisor, clock
):
    _day2(clock)
    client.force_login(patient)
    body = client.get(reverse("core:patient-dashboard")).content.decode()
    card = body[body.index('id="dose-panel-title"') :]
    # Day one's 25 mg was witnessed at 9:05am London time: protected 24 hours, in London time.
    assert "Protected until Tuesday 2 June, 9:05am" in card
    assert f"due Tuesday 9:00am, with {supervisor.full_name}" in card
    assert "You have taken 1 dose in a row." in card
    assert "In the last 7 days you took 1 of 1 doses (100%)." in card
    # The essentials come before the rest of the page.
    assert body.index("Protected until") < body.index("Messages and help")


def test_the_patient_dashboard_links_messages_alert_card_and_help(client, started, patient):
    client.force_login(patient)
    body = client.get(reverse("core:patient-dashboard")).content.decode()
    for name in ("notifications:inbox", "content:alert-card-mine", "content:faq-portal"):
        assert f'href="{reverse(name)}"' in body


def test_the_adherence_chart_comes_with_its_numbers(client, started, patient, clock):
    _day2(clock)
    client.force_login(patient)
    body = client.get(reverse("core:patient-dashboard")).content.decode()
    chart = body[body.index('<figure class="chart">') : body.index("</figure>")]
    assert "<svg" in chart
    assert chart.count('<rect class="chart__bar"') == 1  # only the week with a dose due
    rows = re.findall(r'<td data-label="Doses taken">([^<]*)</td>', chart)
    assert len(rows) == 12
    assert rows[-1] == "1 of 1 doses taken (100%)"
    assert rows[0] == "No doses due"
    assert "Most recent week: 1 of 1 doses taken (100%)." in chart


# --- Supervisor ----------------------------------------------------------------------------------


def test_the_supervisor_taps_then_confirms_without_script(
    client, started, supervisor, patient, clock
):
    _day2(clock)
    client.force_login(supervisor)
    body = client.get(reverse("core:supervisor-dashboard")).content.decode()
    dose = dose_on(started, DAY2)
    tap = reverse("dosing:dose-record", args=[dose.pk]) + "?outcome=witnessed&from=dashboard"
    assert tap.replace("&", "&amp;") in body
    confirm = client.get(tap)
    assert "<html" in confirm.content.decode()  # the whole page without htmx
    assert not DoseOutcome.objects.filter(dose=dose).exists()  # nothing saved by the tap
    response = client.post(tap, {"outcome": "witnessed"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert DoseOutcome.objects.get(dose=dose, is_current=True).outcome == "witnessed"
    page = client.get(reverse("core:supervisor-dashboard"))
    assert f"Dose recorded for {patient.display_name}, 8:05am" in page.content.decode()


def test_the_confirm_step_comes_alone_for_htmx(client, started, supervisor, clock):
    _day2(clock)
    client.force_login(supervisor)
    dose = dose_on(started, DAY2)
    tap = reverse("dosing:dose-record", args=[dose.pk]) + "?outcome=refused&from=dashboard"
    body = client.get(tap, **HTMX).content.decode()
    assert "<html" not in body
    assert f'data-dose-outcome="{dose.pk}"' in body
    assert f'data-api="/api/v1/doses/{dose.pk}/outcome/"' in body
    assert 'action="' + tap.replace("&", "&amp;") + '"' in body
    assert "Confirm" in body


def test_the_dashboard_only_goes_back_to_the_dashboard_or_the_usual_page(
    client, started, supervisor, clock
):
    _day2(clock)
    client.force_login(supervisor)
    dose = dose_on(started, DAY2)
    url = reverse("dosing:dose-record", args=[dose.pk]) + "?from=https://evil.example/"
    response = client.post(url, {"outcome": "refused"})
    assert response["Location"] == reverse(
        "accounts:supervised-patient-detail", args=[dose.patient_id]
    )


def test_the_supervisor_sees_the_last_14_days_in_icons_and_words(
    client, started, supervisor, clock
):
    _day2(clock)
    client.force_login(supervisor)
    body = client.get(reverse("core:supervisor-dashboard")).content.decode()
    strip = body[body.index('<ol class="day-strip"') : body.index("</ol>", body.index("day-strip"))]
    assert strip.count("<li") == 14
    assert "Monday 1 June: Taken, witnessed" in strip
    assert "Tuesday 2 June: Due later" in strip
    assert "Sunday 31 May: No dose" in strip
    assert "✓" in strip  # a shape as well as a colour
    assert "Raise a concern about" in body
    assert "Don't record a dose you did not see." in body


def test_before_the_first_dose_a_supervisor_may_only_say_it_was_missed(
    client, plan, supervisor, clock
):
    clock.move_to(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC))
    client.force_login(supervisor)
    body = client.get(reverse("core:supervisor-dashboard")).content.decode()
    actions = body[body.index('class="dose-actions"') : body.index("You will be asked")]
    assert "outcome=missed" in actions
    assert "outcome=witnessed" not in actions


# --- Clinician -----------------------------------------------------------------------------------


def test_the_clinicians_day_comes_before_the_caseload(client, started, clinician, clock):
    # Thursday 4 June, noon: day one's protection ran out on Tuesday and nothing since.
    clock.move_to(dt.datetime(2026, 6, 4, 11, 0, tzinfo=dt.UTC))
    client.force_login(clinician)
    body = client.get(reverse("core:clinician-dashboard")).content.decode()
    attention = body.index("Treatment: needs you today")
    assert body.index("Unprotected now", attention) < body.index("Your treatment caseload")
    assert reverse("dosing:timeline", args=[started.patient_id]) in body


def test_the_caseload_is_searchable_and_comes_alone_for_htmx(client, started, clinician, patient):
    client.force_login(clinician)
    url = reverse("escalation:caseload")
    full = client.get(url, {"q": patient.full_name[:4]}).content.decode()
    assert "<html" in full
    assert patient.full_name in full
    part = client.get(url, {"q": patient.full_name[:4]}, **HTMX).content.decode()
    assert "<html" not in part
    assert part.lstrip().startswith('<div id="caseload-table"')
    assert patient.full_name in part
    none = client.get(url, {"q": "nobody has this name"}, **HTMX).content.decode()
    assert "No patients match." in none


def test_the_caseload_pages(client, clinician, supervisor, settings, monkeypatch):
    from apps.dosing import caseload
    from tests.dosing.world import make_plan

    monkeypatch.setattr(caseload, "PAGE_SIZE", 2)
    for i in range(5):
        p = make_user(f"page{i}@test.example", Role.PATIENT, clinician=clinician, name=f"Page {i}")
        link_supervisor(p, supervisor, clinician)
        make_plan(p, clinician, supervisor)
    client.force_login(clinician)
    url = reverse("escalation:caseload")
    first = client.get(url).content.decode()
    assert "Page 0" in first
    assert "Page 2" not in first
    assert "page 1 of 3" in first
    third = client.get(url, {"page": "3"}).content.decode()
    assert "Page 4" in third
    assert "Page 0" not in third
    # Nonsense pages give a page, never an error.
    for bad in ("0", "-1", "x", "99999999999999999999"):
        assert client.get(url, {"page": bad}).status_code == 200


# --- Installable ---------------------------------------------------------------------------------


def test_the_manifest_is_served_as_a_manifest_and_linked(client, patient):
    response = client.get(reverse("core:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["start_url"] == reverse("core:dashboard")
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512", "any"}
    client.force_login(patient)
    body = client.get(reverse("core:patient-dashboard")).content.decode()
    assert f'<link rel="manifest" href="{reverse("core:manifest")}">' in body


def test_the_icons_are_the_sizes_they_claim():
    from pathlib import Path

    from django.conf import settings
    from PIL import Image

    icons = Path(settings.BASE_DIR) / "static" / "icons"
    for size in (192, 512):
        with Image.open(icons / f"icon-{size}.png") as image:
            assert image.size == (size, size)
    assert (icons / "icon.svg").read_text().startswith("<svg")


def test_the_caseload_on_the_dashboard_and_its_page_is_an_audited_read(
    client, started, clinician, patient
):
    from apps.audit.models import AuditEvent

    client.force_login(clinician)
    for url, what in (
        (reverse("core:clinician-dashboard"), "clinician_dashboard"),
        (reverse("escalation:caseload"), "treatment_caseload"),
    ):
        client.get(url)
        seen = AuditEvent.objects.filter(
            action="audit.list_viewed", actor=clinician, detail__what=what
        )
        assert list(seen.values_list("patient_id", flat=True)) == [patient.pk]


def test_only_a_supervisors_confirmation_goes_to_the_offline_queue(
    client, started, patient, supervisor, clock
):
    _day2(clock)
    dose = dose_on(started, DAY2)
    url = reverse("dosing:dose-record", args=[dose.pk]) + "?outcome=vomited"
    client.force_login(patient)
    assert "data-dose-outcome" not in client.get(url).content.decode()
    client.force_login(supervisor)
    assert f'data-dose-outcome="{dose.pk}"' in client.get(url).content.decode()
