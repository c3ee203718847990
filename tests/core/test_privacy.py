"""Nothing clinical on a lock screen or in an authenticator list: neutral defaults for the
clinic's names and the issuer, and the clinic's names refuse clinical words."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from apps.clinic.models import ClinicSettings
from apps.clinic.selectors import clinic_settings_get
from apps.clinic.services import clinic_settings_update
from apps.core.checks import neutral_issuer
from apps.core.privacy import clinical_words_in


def test_the_defaults_say_nothing_clinical(db):
    clinic = clinic_settings_get()
    assert clinic.name == "Riverside Health Centre"
    assert not clinical_words_in(clinic.name)
    assert not clinical_words_in(clinic.short_name)
    assert settings.MFA_TOTP_ISSUER == "Clinic portal"
    assert neutral_issuer(None) == []


@pytest.mark.parametrize(
    "name", ["Riverside Recovery Clinic", "Naltrexone programme", "Alcohol and Drug Service"]
)
def test_staff_cannot_give_the_clinic_a_clinical_name(staff, name):
    with pytest.raises(ValidationError) as caught:
        clinic_settings_update(actor=staff, name=name)
    assert "name" in caught.value.message_dict
    assert ClinicSettings.objects.filter(name=name).count() == 0


def test_staff_cannot_give_a_clinical_short_name(staff):
    with pytest.raises(ValidationError):
        clinic_settings_update(actor=staff, short_name="Detox")


def test_a_neutral_name_is_accepted(staff):
    assert clinic_settings_update(actor=staff, name="Harbour Clinic").name == "Harbour Clinic"


def test_an_issuer_with_a_clinical_word_is_an_error_in_production(settings):
    settings.MFA_TOTP_ISSUER = "Riverside Recovery"
    settings.DEBUG = False
    assert [(e.id, e.level) for e in neutral_issuer(None)] == [("core.E001", 40)]
    settings.DEBUG = True  # a warning in development, so an old .env does not stop `make run`
    assert [(e.id, e.level) for e in neutral_issuer(None)] == [("core.E001", 30)]


def test_whole_words_only():
    assert clinical_words_in("Doseley Health Centre") == []
    assert clinical_words_in("The DOSE clinic") == ["dose"]


def test_the_admin_shows_the_refusal_next_to_the_name_and_changes_nothing(client, staff):
    from django.forms.models import model_to_dict
    from django.urls import reverse

    row = clinic_settings_update(actor=staff)  # the row with its defaults
    client.force_login(staff)
    url = reverse("admin:clinic_clinicsettings_change", args=[row.pk])
    data = {k: v for k, v in model_to_dict(row).items() if v is not None and k != "id"}
    data["name"] = "Riverside Recovery Clinic"
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "recovery" in str(errors["name"])
    assert ClinicSettings.objects.get().name == "Riverside Health Centre"
