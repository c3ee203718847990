"""Forms for the help pages, the safety acknowledgement and the staff admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.content.models import FaqEntry
from apps.core.exceptions import ServiceError


class FaqSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the questions"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class SafetyAcknowledgeForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
    understood = forms.BooleanField(
        label=_("I have read these safety messages and I understand them."),
        error_messages={"required": _("Tick the box to say you have read the safety messages.")},
    )


class SafetyVersionForm(forms.Form):
    """Staff write a new version of the five safety messages (admin)."""

    version = forms.CharField(
        label=_("Version name"), max_length=20, help_text=_("For example 2, or 2027-01.")
    )

    def __init__(
        self, *args: Any, initial_messages: list[dict[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        initial_messages = initial_messages or []
        for number in range(1, 6):
            start = initial_messages[number - 1] if len(initial_messages) >= number else {}
            self.fields[f"key_{number}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=start.get("key", "")
            )
            self.fields[f"title_{number}"] = forms.CharField(
                label=_("Message %(number)s: title") % {"number": number},
                max_length=200,
                initial=start.get("title", ""),
            )
            self.fields[f"body_{number}"] = forms.CharField(
                label=_("Message %(number)s: text") % {"number": number},
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=start.get("body", ""),
            )

    def messages(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"key": data[f"key_{n}"], "title": data[f"title_{n}"], "body": data[f"body_{n}"]}
            for n in range(1, 6)
        ]


class FaqEntryAdminForm(forms.ModelForm[FaqEntry]):
    class Meta:
        model = FaqEntry
        fields = (
            "question",
            "slug",
            "category",
            "answer",
            "sources",
            "audience",
            "language",
            "order",
            "status",
            "reviewed_by",
            "reviewed_at",
            "next_review_due",
        )
        widgets = {"answer": forms.Textarea(attrs={"rows": 16})}

    def _post_clean(self) -> None:
        # After Django has copied the cleaned data onto the instance and checked its constraints.
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        # The service's own rules, run here too so a refusal shows next to its field.
        from apps.content.services import faq_entry_check

        try:
            faq_entry_check(self.instance)
        except ServiceError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
