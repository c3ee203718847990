"""The overdose and tolerance panel: when it shows, what it says, and how the dosing app
switches it on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.urls import reverse

from apps.content import panels
from apps.content.panels import OverdoseReason, ProtectionFacts, overdose_risk

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_no_warning_while_protected_or_before_any_dose() -> None:
    assert overdose_risk(ProtectionFacts(), now=NOW) is None
    assert overdose_risk(ProtectionFacts(protected_until=NOW + timedelta(hours=1)), now=NOW) is None


def test_warning_once_protection_has_run_out() -> None:
    facts = ProtectionFacts(protected_until=NOW)
    assert overdose_risk(facts, now=NOW) is OverdoseReason.UNPROTECTED


def test_warning_when_treatment_has_stopped() -> None:
    facts = ProtectionFacts(treatment_stopped=True, protected_until=NOW + timedelta(days=1))
    assert overdose_risk(facts, now=NOW) is OverdoseReason.TREATMENT_STOPPED


def test_without_a_dose_log_the_panel_never_shows(patient) -> None:
    assert panels.overdose_panel_for(patient) is None


def unprotected(patient_id: int) -> ProtectionFacts:
    return ProtectionFacts(protected_until=datetime(2020, 1, 1, tzinfo=UTC))


def test_the_dashboard_shows_the_urgent_panel_when_the_dose_log_says_so(
    client, patient, monkeypatch
) -> None:
    monkeypatch.setattr(
        panels, "PROTECTION_FACTS_PROVIDER", "tests.content.test_panels.unprotected"
    )
    panels._facts_provider.cache_clear()
    try:
        client.force_login(patient)
        page = client.get(reverse("core:patient-dashboard")).content.decode()
    finally:
        monkeypatch.undo()
        panels._facts_provider.cache_clear()
    start = page.index('aria-labelledby="overdose-panel-title"')
    panel = page[start : page.index("</div>", start)]
    assert "urgent-panel" in page[start - 60 : start]
    assert "call 999" in panel
    assert "naloxone" in panel
    assert "0300 000 0000" in panel  # the clinic's 24-hour number from clinic settings
    assert "Your last naltrexone dose has worn off" in panel
    # Most urgent first: above the safety-messages reminder.
    assert start < page.index(reverse("content:safety-acknowledge"))


def test_the_safety_reminder_costs_one_query_whatever_the_history(
    patient, staff, django_assert_num_queries
) -> None:
    from apps.content import services
    from tests.content.test_safety import new_wording

    for number in (3, 4, 5):
        version = services.safety_version_publish(
            actor=staff, version=str(number), messages=new_wording(f" v{number}")
        )
        services.safety_acknowledge(actor=patient, version=version)
        # the current version with "acknowledged" and "acknowledged before" worked out in SQL
        with django_assert_num_queries(1):
            assert panels.safety_messages_panel_for(patient) is None
    services.safety_version_publish(actor=staff, version="6", messages=new_wording(" v6"))
    with django_assert_num_queries(1):
        panel = panels.safety_messages_panel_for(patient)
    assert panel is not None
    assert panel.context == {"is_update": True}
