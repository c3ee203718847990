"""The intake thresholds live in clinic settings: DOMAIN.md defaults, staff edit them, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_get
from apps.clinic.services import clinic_settings_update
from apps.intake import services
from apps.intake.selectors import engine_inputs_for
from tests.intake.conftest import fill


def test_defaults_are_the_domain_rules(db):
    s = clinic_settings_get()
    assert (s.min_age_years, s.short_acting_free_days, s.short_acting_warn_days) == (18, 7, 10)
    assert (s.long_acting_free_days, s.long_acting_warn_days) == (10, 14)
    assert (s.urine_screen_max_age_days, s.liver_test_max_age_days) == (3, 28)
    assert (s.liver_specialist_multiple, s.liver_block_multiple) == (Decimal(3), Decimal(5))
    assert (s.naloxone_challenge_policy, s.surgery_pause_hours) == ("always", 72)
    assert (s.audit_c_positive_score, s.phq9_item9_flag_above) == (5, 0)


def test_staff_change_a_threshold_and_the_change_is_audited(staff):
    clinic_settings_update(actor=staff, liver_test_max_age_days=21)
    assert clinic_settings_get().liver_test_max_age_days == 21
    event = AuditEvent.objects.get(action="clinic.settings_changed")
    assert event.detail == {"fields": "liver_test_max_age_days"}


def test_clinicians_cannot_change_settings(clinician):
    with pytest.raises(PermissionDenied):
        clinic_settings_update(actor=clinician, min_age_years=16)


def test_a_warning_window_below_the_minimum_is_refused(staff):
    with pytest.raises(ValidationError):
        clinic_settings_update(actor=staff, short_acting_warn_days=5)
    assert not ClinicSettings.objects.filter(short_acting_warn_days=5).exists()


def test_the_engine_reads_the_changed_settings(staff, patient, clinician):
    fill(patient)
    clinic_settings_update(actor=staff, urine_screen_max_age_days=1)
    inputs = engine_inputs_for(patient=patient, today=dt.date(2026, 6, 1))
    assert inputs.thresholds.urine_screen_max_age_days == 1
    gate = services.first_dose_gate(patient=patient)
    assert gate.assessment.inputs["thresholds"]["urine_screen_max_age_days"] == 1
