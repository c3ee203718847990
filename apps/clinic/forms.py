"""The clinical lead's thresholds form: the threshold fields of ClinicSettings and a reason."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.clinic.models import THRESHOLD_FIELDS, ClinicSettings


class ThresholdsForm(forms.ModelForm[ClinicSettings]):
    reason = forms.CharField(
        label="Why are you changing these thresholds?",
        help_text="Kept with the change. Name the guideline or decision behind it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
        error_messages={
            "required": "Write why you are changing the thresholds.",
            "min_length": "Write a reason of at least 10 characters.",
        },
    )

    class Meta:
        model = ClinicSettings
        fields = THRESHOLD_FIELDS

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}
