"""The intake thresholds live in clinic settings: DOMAIN.md defaults; clinical leads change
them with a reason; staff keep the clinic's name, numbers and colours. Every change audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.services import clinical_lead_set
from apps.audit.models import AuditEvent
from apps.clinic.models import ClinicSettings, ThresholdChange
from apps.clinic.selectors import clinic_settings_get
from apps.clinic.services import clinic_settings_update, clinic_thresholds_update
from apps.core.exceptions import ServiceError
from apps.intake import services
from apps.intake.selectors import engine_inputs_for
from tests.intake.conftest import fill, reauthenticate

REASON = "Local audit of fentanyl-related admissions, agreed at governance."


@pytest.fixture
def lead(clinician, staff):
    return clinical_lead_set(actor=staff, user=clinician, is_lead=True)


def test_defaults_are_the_domain_rules(db):
    s = clinic_settings_get()
    assert (s.min_age_years, s.short_acting_free_days, s.short_acting_warn_days) == (18, 7, 10)
    assert (s.long_acting_free_days, s.long_acting_warn_days) == (10, 14)
    assert (s.modified_release_free_days, s.modified_release_warn_days) == (10, 14)
    assert (s.fentanyl_free_days, s.fentanyl_warn_days) == (10, 14)
    assert (s.urine_screen_max_age_days, s.liver_test_max_age_days) == (3, 28)
    assert (s.liver_specialist_multiple, s.liver_block_multiple) == (Decimal(3), Decimal(5))
    assert (s.naloxone_challenge_policy, s.surgery_pause_hours) == ("always", 72)
    assert s.audit_c_positive_score == 5


def test_phq9_item9_is_not_a_setting_that_can_be_raised(db):
    assert not hasattr(ClinicSettings(), "phq9_item9_flag_above")


def test_a_clinical_lead_changes_a_threshold_with_a_reason_and_it_is_audited(lead):
    record = clinic_thresholds_update(actor=lead, reason=REASON, fentanyl_free_days=12)
    assert clinic_settings_get().fentanyl_free_days == 12
    assert record is not None
    assert (record.changed_by_id, record.reason) == (lead.pk, REASON)
    assert record.changes == {"fentanyl_free_days": ["10", "12"]}
    event = AuditEvent.objects.get(action="clinic.thresholds_changed")
    assert event.detail == {"fields": "fentanyl_free_days"}
    assert REASON not in str(event.detail)


def test_a_threshold_change_needs_a_reason(lead):
    with pytest.raises(ServiceError, match="reason"):
        clinic_thresholds_update(actor=lead, reason="  ", fentanyl_free_days=12)
    assert clinic_settings_get().fentanyl_free_days == 10
    assert not ThresholdChange.objects.exists()


def test_clinicians_without_the_lead_flag_and_staff_cannot_change_thresholds(clinician, staff):
    with pytest.raises(PermissionDenied):
        clinic_thresholds_update(actor=clinician, reason=REASON, fentanyl_free_days=12)
    with pytest.raises(PermissionDenied):
        clinic_thresholds_update(actor=staff, reason=REASON, fentanyl_free_days=12)
    with pytest.raises(ServiceError, match="clinical lead"):
        clinic_settings_update(actor=staff, fentanyl_free_days=12)
    assert clinic_settings_get().fentanyl_free_days == 10


def test_staff_keep_brand_colours_and_contact_numbers(staff, clinician):
    clinic_settings_update(actor=staff, phone_24h="0300 111 2222", brand_colour="#123456")
    assert clinic_settings_get().phone_24h == "0300 111 2222"
    event = AuditEvent.objects.get(action="clinic.settings_changed")
    assert event.detail == {"fields": "brand_colour,phone_24h"}
    with pytest.raises(PermissionDenied):
        clinic_settings_update(actor=clinician, phone_24h="0")


@pytest.mark.parametrize(("age", "ok"), [(17, False), (18, True), (21, True)])
def test_the_minimum_age_cannot_be_set_below_18(lead, age, ok):
    if ok:
        clinic_thresholds_update(actor=lead, reason=REASON, min_age_years=age)
        assert clinic_settings_get().min_age_years == age
    else:
        with pytest.raises(ServiceError, match="18"):
            clinic_thresholds_update(actor=lead, reason=REASON, min_age_years=age)
        assert clinic_settings_get().min_age_years == 18


def test_the_database_refuses_a_minimum_age_below_18(db):
    row = clinic_settings_get()
    row.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicSettings.objects.update(min_age_years=17)


def test_a_warning_window_below_the_minimum_is_refused(lead):
    with pytest.raises(ServiceError):
        clinic_thresholds_update(actor=lead, reason=REASON, short_acting_warn_days=5)
    assert not ClinicSettings.objects.filter(short_acting_warn_days=5).exists()


def test_the_engine_reads_the_changed_settings(lead, patient):
    fill(patient)
    clinic_thresholds_update(actor=lead, reason=REASON, urine_screen_max_age_days=1)
    inputs = engine_inputs_for(patient=patient, today=dt.date(2026, 6, 1))
    assert inputs.thresholds.urine_screen_max_age_days == 1
    assert inputs.thresholds.fentanyl_free_days == 10
    gate = services.first_dose_gate(patient=patient)
    assert gate.assessment.inputs["thresholds"]["urine_screen_max_age_days"] == 1


def test_only_staff_name_clinical_leads_and_only_clinicians_can_be_leads(staff, clinician, patient):
    with pytest.raises(PermissionDenied):
        clinical_lead_set(actor=clinician, user=clinician, is_lead=True)
    with pytest.raises(ServiceError, match="Only a clinician"):
        clinical_lead_set(actor=staff, user=patient, is_lead=True)
    clinical_lead_set(actor=staff, user=clinician, is_lead=True)
    event = AuditEvent.objects.get(action="accounts.clinical_lead_changed")
    assert event.detail == {"is_lead": True}
    patient.is_clinical_lead = True
    with pytest.raises(IntegrityError), transaction.atomic():
        patient.save(update_fields=["is_clinical_lead"])


def test_the_thresholds_page_asks_for_the_password_again(client, lead):
    client.force_login(lead)
    response = client.post(reverse("clinic:thresholds"), {"fentanyl_free_days": 12})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert clinic_settings_get().fentanyl_free_days == 10


def test_the_thresholds_page_saves_with_a_reason_and_shows_errors_next_to_fields(client, lead):
    client.force_login(lead)
    reauthenticate(client, lead)
    url = reverse("clinic:thresholds")
    page = client.get(url)
    assert page.status_code == 200
    data = {
        k: v
        for k, v in page.context["form"].initial.items()
        if k in page.context["form"].fields and v is not None
    }
    refused = client.post(url, {**data, "min_age_years": 16, "reason": REASON})
    assert refused.status_code == 200
    assert "Ensure this value is greater than or equal to 18." in refused.content.decode()
    no_reason = client.post(url, {**data, "fentanyl_free_days": 12, "reason": ""})
    assert "Write why you are changing the thresholds." in no_reason.content.decode()
    assert clinic_settings_get().fentanyl_free_days == 10
    saved = client.post(url, {**data, "fentanyl_free_days": 12, "reason": REASON})
    assert saved.status_code == 302
    assert clinic_settings_get().fentanyl_free_days == 12
    assert REASON in client.get(url).content.decode()


def test_the_thresholds_page_is_for_clinical_leads_only(client, clinician):
    client.force_login(clinician)
    assert client.get(reverse("clinic:thresholds")).status_code == 403


def test_only_clinical_leads_see_the_thresholds_link(client, lead, other_clinician):
    client.force_login(lead)
    reauthenticate(client, lead)
    assert "Clinical thresholds" in client.get(reverse("worklist:task-list")).content.decode()
    client.force_login(other_clinician)
    assert "Clinical thresholds" not in client.get(reverse("worklist:task-list")).content.decode()
