"""Forms for dosing pages. They parse and check input; the services decide and save."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from apps.accounts.models import User
from apps.dosing.models import MAX_MG_PER_DAY, Outcome, Schedule
from apps.dosing.schedule import MWF_MG, SCHEDULE_MG

DATE_INVALID = "Enter a real date, like 31 3 2027."
TIME_INVALID = "Enter a time like 9:00 or 18:30."


def _date(label: str, **kw: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Enter the {label.lower()}.", "invalid": DATE_INVALID},
        **kw,
    )


def _max_mg(schedule: str) -> int:
    return max(MWF_MG.values()) if schedule == Schedule.MWF else SCHEDULE_MG[schedule]


class ScheduleFields(forms.Form):
    """The fields of a version that gives doses: schedule, time, first day, supervision."""

    schedule = forms.ChoiceField(
        label="Schedule",
        choices=Schedule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a schedule.", "invalid_choice": "Choose a schedule."},
    )
    supervision_time = forms.TimeField(
        label="Supervision time (the patient's local time)",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter the supervision time.", "invalid": TIME_INVALID},
    )
    effective_from = _date("First day")
    supervisor_ids = forms.TypedMultipleChoiceField(
        label="Supervisors",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only supervisors whose consent is in force are listed.",
        error_messages={"invalid_choice": "Choose only supervisors from the list."},
    )
    clinic_supervision = forms.BooleanField(
        label="The clinic or a pharmacy supervises doses", required=False
    )

    def __init__(self, *args: Any, supervisors: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["supervisor_ids"]
        if isinstance(field, forms.TypedMultipleChoiceField):
            field.choices = [(u.pk, u.full_name) for u in supervisors or []]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        schedule = data.get("schedule")
        # DOMAIN.md section 3: never more than 150 mg (three tablets) on one day.
        if schedule and _max_mg(schedule) > MAX_MG_PER_DAY:
            self.add_error("schedule", "No schedule may give more than 150 mg in one day.")
        if not data.get("supervisor_ids") and not data.get("clinic_supervision"):
            self.add_error(
                "supervisor_ids",
                "Choose at least one supervisor, or record that the clinic supervises.",
            )
        return data


class PlanCreateForm(ScheduleFields):
    goal = forms.CharField(
        label="Goal of treatment",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the patient's words where possible.",
        error_messages={"required": "Write the goal of treatment."},
    )
    planned_review = _date("Planned review")
    planned_end = _date("Planned end", help_text="At least 12 months after the first day.")

    field_order = [
        "goal",
        "effective_from",
        "schedule",
        "supervision_time",
        "supervisor_ids",
        "clinic_supervision",
        "planned_review",
        "planned_end",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].label = "First day (25 mg, half a tablet)"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason for this change."},
    )


class ScheduleChangeForm(ScheduleFields, ReasonForm):
    pass


class PauseForm(ReasonForm):
    effective_from = _date("Pause from", help_text="Stop 72 hours before planned surgery.")


OUTCOME_WORDS: dict[str, str] = {
    Outcome.WITNESSED: "I watched the dose being taken",
    Outcome.SELF_REPORTED: "I took my dose (nobody watched)",
    Outcome.REFUSED: "The dose was refused",
    Outcome.VOMITED: "Vomited or spat out",
    Outcome.MISSED: "Missed",
}


class DoseRecordForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose what happened.",
            "invalid_choice": "Choose what happened.",
        },
    )
    taken_time = forms.TimeField(
        label="Time the dose was taken",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": TIME_INVALID},
        help_text="Leave empty if it was just now.",
    )
    late_reason = forms.CharField(
        label="Why is this being recorded late?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label="Note for the clinic (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), late: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        self.allowed = allowed
        if not late:
            del self.fields["late_reason"]

    def clean_outcome(self) -> str:
        value: str = self.cleaned_data["outcome"]
        if value not in self.allowed:
            raise forms.ValidationError("Choose what happened.")
        return value


class NaloxoneKitForm(forms.Form):
    expires_on = _date("Expiry date on the kit")

    def clean_expires_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["expires_on"]
        if value.year > 2100:
            raise forms.ValidationError(DATE_INVALID)
        return value


class CorrectionForm(ReasonForm):
    outcome = forms.ChoiceField(
        label="What really happened",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what happened.",
            "invalid_choice": "Choose what happened.",
        },
    )
    taken_time = forms.TimeField(
        label="Time the dose was taken (if it was taken)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": TIME_INVALID},
    )

    field_order = ["outcome", "taken_time", "reason"]
