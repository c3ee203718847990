"""Forms: they parse what people send; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from apps.counselling.models import AvailabilityException, Booking, LocationKind, Weekday


class SlotForm(forms.Form):
    """A slot chosen from the list: the clinician and the start time (UTC, ISO 8601)."""

    clinician = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    starts_at = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def clean_starts_at(self) -> dt.datetime:
        raw = self.cleaned_data["starts_at"]
        try:
            value = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError("Choose a time from the list.") from None
        if value.tzinfo is None:
            raise forms.ValidationError("Choose a time from the list.")
        return value.astimezone(dt.UTC)


class OnBehalfForm(SlotForm):
    override_cutoff = forms.BooleanField(
        required=False, label="Book even though it is within the cut-off"
    )


class CancelForm(forms.Form):
    override_cutoff = forms.BooleanField(required=False)


class InviteeForm(forms.Form):
    name = forms.CharField(label="Their name", max_length=150)
    email = forms.EmailField(
        label="Their e-mail address",
        help_text="They get the time and place only. They cannot see your record.",
    )


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened?",
        choices=[
            (Booking.Status.ATTENDED, "Attended"),
            (Booking.Status.DID_NOT_ATTEND, "Did not attend"),
            (Booking.Status.CANCELLED_LATE, "Cancelled late"),
        ],
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Session note",
        help_text="Only clinicians can read session notes. Each reading is recorded.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )


class PlanForm(forms.Form):
    first_month_sessions = forms.IntegerField(
        label="Sessions in the first month",
        required=False,
        min_value=1,
        max_value=8,
        help_text="Leave empty for the clinic's default.",
    )
    interval_days = forms.IntegerField(
        label="Then at least one session every (days)",
        required=False,
        min_value=7,
        max_value=92,
        help_text="Leave empty for the clinic's default.",
    )
    months = forms.IntegerField(
        label="For this many months of treatment",
        required=False,
        min_value=1,
        max_value=24,
        help_text="Leave empty for the clinic's default.",
    )
    outside_counsellor_name = forms.CharField(
        label="Outside counsellor (if any)", required=False, max_length=150
    )
    outside_counsellor_contact = forms.CharField(
        label="Their contact details", required=False, max_length=200
    )


class RuleForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label="From", help_text="For example 09:00")
    end_time = forms.TimeField(label="Until", help_text="For example 17:00")
    session_minutes = forms.IntegerField(
        label="Session length (minutes)", initial=50, min_value=10, max_value=240
    )
    buffer_minutes = forms.IntegerField(
        label="Break between sessions (minutes)", initial=10, min_value=0, max_value=120
    )
    location_kind = forms.ChoiceField(label="Where", choices=LocationKind.choices)
    location = forms.CharField(
        label="Room, or video link", max_length=200, help_text="A video link starts with https://"
    )
    valid_from = forms.DateField(label="First day (optional)", required=False)
    valid_until = forms.DateField(label="Last day (optional)", required=False)


class ExceptionForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=AvailabilityException.Kind.choices)
    starts = forms.DateTimeField(
        label="From", help_text="Date and time in the clinician's time zone: 2026-12-24 09:00"
    )
    ends = forms.DateTimeField(label="Until", help_text="2026-12-24 17:00")
    session_minutes = forms.IntegerField(
        label="Session length (minutes)", initial=50, min_value=10, max_value=240
    )
    buffer_minutes = forms.IntegerField(
        label="Break between sessions (minutes)", initial=10, min_value=0, max_value=120
    )
    location_kind = forms.ChoiceField(label="Where (extra hours)", choices=LocationKind.choices)
    location = forms.CharField(
        label="Room, or video link (extra hours)", max_length=200, required=False
    )

    def __init__(self, *args: Any, zone: dt.tzinfo | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone or dt.UTC

    def _local(self, value: dt.datetime) -> dt.datetime:
        # Typed as wall-clock time in the clinician's zone, whatever the viewer's zone is.
        return value.replace(tzinfo=None).replace(tzinfo=self.zone).astimezone(dt.UTC)

    def clean_starts(self) -> dt.datetime:
        return self._local(self.cleaned_data["starts"])

    def clean_ends(self) -> dt.datetime:
        return self._local(self.cleaned_data["ends"])
