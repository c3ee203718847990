"""Forms: parse and check input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.accounts.time_zones import TIME_ZONE_FORM_CHOICES


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A few unrelated words make a strong password."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"), choices=TIME_ZONE_FORM_CHOICES, initial="Europe/London"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are different. Type them again."))
        return data


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))


class StaffInviteForm(InviteForm):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("clinician", _("Clinician")),
            ("staff", _("Clinic staff (administration)")),
        ],
        initial="clinician",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose clinician or clinic staff."),
            "invalid_choice": _("Choose clinician or clinic staff."),
        },
    )
    is_clinical_lead = forms.BooleanField(
        label=_("Clinical lead"),
        required=False,
        help_text=_(
            "Clinicians only. A clinical lead can change the clinic's clinical thresholds."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_clinical_lead") and data.get("role") != "clinician":
            self.add_error(
                "is_clinical_lead",
                _("Only a clinician can be a clinical lead. Choose clinician or untick the box."),
            )
        return data


class ConsentGrantForm(forms.Form):
    supervisor_name = forms.CharField(label=_("Their full name"), max_length=150)
    supervisor_email = forms.EmailField(label=_("Their e-mail address"))
    relationship = forms.CharField(
        label=_("How do you know them?"),
        max_length=60,
        help_text=_("For example: sister, friend, workmate."),
    )
    expires_on = forms.DateField(
        label=_("End date (optional)"),
        required=False,
        help_text=_(
            "Leave empty and it lasts until your treatment ends. You can end it at any time."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_expires_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("The end date must be after today."))
        return value

    def expires_at(self) -> dt.datetime | None:
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        # The consent ends at the start of that day in the patient's own time zone.
        return dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_current_timezone())


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_name = forms.CharField(
        label=_("What should we call you? (optional)"), max_length=60, required=False
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_FORM_CHOICES)


def _full_name(user: User) -> str:
    return user.full_name


class ReassignForm(forms.Form):
    clinician = forms.ModelChoiceField(
        label=_("New responsible clinician"),
        queryset=User.objects.none(),
        empty_label=_("Choose a clinician"),
    )

    def __init__(self, *args: Any, clinicians: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = clinicians
            field.label_from_instance = _full_name  # type: ignore[method-assign,assignment]
