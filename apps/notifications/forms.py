"""Forms: parse and check input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Send me e-mails"),
        required=False,
        help_text=_("They say only that there is something new, with a link to the portal."),
    )
    include_details = forms.BooleanField(
        label=_("Include details in e-mails"),
        required=False,
        help_text=_(
            "Only tick this if nobody else reads your e-mail. Subject lines never include details."
        ),
    )
    sms_enabled = forms.BooleanField(label=_("Send me text messages"), required=False)
    sms_number = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours start"),
        required=False,
        help_text=_("For example 22:00. We hold e-mails and texts until your quiet hours end."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours end"),
        required=False,
        help_text=_("For example 07:00. Your clinic's urgent alerts to staff are not held."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
