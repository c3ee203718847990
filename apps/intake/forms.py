"""Forms: the questionnaire's steps and the clinician's records. They parse and check input; the
services decide and save."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from apps.intake import instruments
from apps.intake.models import (
    LiverFunctionTest,
    NaloxoneChallenge,
    Result,
    UrineDrugScreen,
    WashoutPlan,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
REQUIRED = "Answer this question to continue."


def _radio(label: str, choices: list[tuple[str, str]], **kw: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": kw.pop("required_message", REQUIRED)},
        **kw,
    )


def _yes_no(label: str, **kw: Any) -> forms.ChoiceField:
    return _radio(label, YES_NO, **kw)


def _date(label: str, **kw: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": REQUIRED, "invalid": "Enter a real date, like 31 3 1990."},
        **kw,
    )


class StepForm(forms.Form):
    """A questionnaire step. `min_age` comes from clinic settings."""

    def __init__(self, *args: Any, min_age: int = 18, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.min_age = min_age

    def answers(self) -> dict[str, Any]:
        """The cleaned data as JSON-safe values (dates as ISO text)."""
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in self.cleaned_data.items()
        }


class AboutForm(StepForm):
    date_of_birth = _date("Your date of birth")
    indication = _radio(
        "What would you like help with?",
        [
            ("opioids", "Staying off opioids (heroin, methadone, painkillers)"),
            ("alcohol", "Alcohol"),
            ("both", "Both"),
        ],
    )
    alcohol_goal = _radio(
        "If you would like help with alcohol, what is your goal?",
        [
            ("abstinence", "To stop drinking completely"),
            ("reduction", "To cut down"),
            ("", "Not about alcohol"),
        ],
        required=False,
    )
    alcohol_withdrawal_complete = _radio(
        "If you would like help with alcohol: have you finished coming off alcohol "
        "(withdrawal or detox)?",
        [
            ("yes", "Yes, I have stopped drinking and any withdrawal is over"),
            ("no", "No, not yet"),
            ("not_sure", "I am not sure"),
            ("", "Not about alcohol"),
        ],
        required=False,
    )

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("Your date of birth must be in the past.")
        if born.year < today.year - 120:
            raise forms.ValidationError("Check the year of your date of birth.")
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < self.min_age:
            raise forms.ValidationError(
                f"This treatment is for people aged {self.min_age} or over. If your date of "
                "birth is right, please talk to your clinic about other support."
            )
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indication") in ("alcohol", "both") and not data.get("alcohol_goal"):
            self.add_error("alcohol_goal", "Tell us your goal for alcohol.")
        if data.get("indication") in ("alcohol", "both") and not data.get(
            "alcohol_withdrawal_complete"
        ):
            self.add_error(
                "alcohol_withdrawal_complete",
                "Tell us whether you have finished coming off alcohol.",
            )
        if data.get("indication") == "opioids":
            data["alcohol_goal"] = ""
            data["alcohol_withdrawal_complete"] = ""
        return data


CLASS_CHOICES = [
    ("short_acting", "Heroin, codeine, tramadol or another short-acting opioid"),
    ("methadone", "Methadone"),
    ("buprenorphine_daily", "Buprenorphine tablets or films taken every day (Subutex, Espranor)"),
    (
        "buprenorphine_depot",
        "Buprenorphine injections given weekly or monthly (depot, for example Buvidal)",
    ),
    (
        "modified_release",
        "Slow-release (modified-release) painkillers, such as MST, Zomorph or OxyContin",
    ),
    ("fentanyl", "Fentanyl (patches, lozenges or street fentanyl)"),
    ("none", "I have not used any opioids"),
]
CLASS_DATE_LABELS = {
    "short_acting": "When did you last use heroin, codeine, tramadol or another short-acting "
    "opioid?",
    "methadone": "When did you last take methadone?",
    "buprenorphine_daily": "When did you last take daily buprenorphine?",
    "buprenorphine_depot": "When did you last have a buprenorphine injection?",
    "modified_release": "When did you last take a slow-release painkiller?",
    "fentanyl": "When did you last use fentanyl?",
}


class SubstancesForm(StepForm):
    opioid_classes = forms.MultipleChoiceField(
        label="Which opioids have you used in the last 3 months? Tick all that apply.",
        choices=CLASS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the opioids you have used, or tick that you have not."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for cls, label in CLASS_DATE_LABELS.items():
            self.fields[f"last_{cls}"] = _date(
                label,
                required=False,
                help_text="Your best guess is fine. Leave empty if you did not use it.",
            )
        self.fields["currently_dependent"] = _yes_no(
            "Do you feel physically dependent on opioids now (would you get withdrawal if you "
            "stopped today)?"
        )
        self.fields["other_substances"] = forms.CharField(
            label="Other drugs you use (optional)", required=False, max_length=300
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        classes = data.get("opioid_classes") or []
        if "none" in classes and len(classes) > 1:
            self.add_error(
                "opioid_classes",
                "You ticked that you have not used opioids, and also an opioid. Check your answer.",
            )
        for cls in CLASS_DATE_LABELS:
            key = f"last_{cls}"
            last = data.get(key)
            if cls in classes and last is None and key not in self.errors:
                self.add_error(key, "Tell us when you last used it.")
            if last is not None and last > timezone.localdate():
                self.add_error(key, "The date of last use cannot be in the future.")
            if cls not in classes:
                data[key] = None
        return data


class MedicinesForm(StepForm):
    takes_opioid_medicines = _yes_no(
        "Do you take any medicine containing an opioid? For example painkillers (codeine, "
        "co-codamol, tramadol, morphine), cough medicine with codeine, diarrhoea medicine "
        "(loperamide), or methadone."
    )
    opioid_medicines = forms.CharField(label="If yes, which ones?", required=False, max_length=300)
    other_medicines = forms.CharField(
        label="Any other medicines you take (optional)", required=False, max_length=500
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("takes_opioid_medicines") == "yes" and not data.get("opioid_medicines"):
            self.add_error("opioid_medicines", "Name the medicines that contain an opioid.")
        return data


class HealthForm(StepForm):
    acute_hepatitis = _yes_no("Do you have hepatitis (liver inflammation) at the moment?")
    liver_failure = _yes_no("Have you ever been told you have liver failure?")
    severe_liver_impairment = _yes_no("Have you been told your liver is badly damaged?")
    severe_kidney_impairment = _yes_no(
        "Have you been told your kidneys work much less than normal?"
    )
    hypersensitivity = _yes_no("Have you ever had an allergic reaction to naltrexone?")
    liver_kidney_notes = forms.CharField(
        label="Anything else about your liver or kidneys (optional)",
        required=False,
        max_length=500,
    )
    pregnancy = _radio(
        "Are you pregnant or breastfeeding?",
        [
            ("no", "No"),
            ("pregnant", "I am pregnant or might be"),
            ("breastfeeding", "I am breastfeeding"),
            ("not_applicable", "Does not apply to me"),
        ],
    )
    planned_surgery = _yes_no(
        "Do you have an operation or procedure planned where you may need strong (opioid) "
        "pain relief?"
    )
    opioid_pain_relief = _radio(
        "Do you take opioid painkillers, or might you need them, for long-term pain?",
        [
            ("now", "I take opioid painkillers now"),
            ("may_need", "I do not take them now, but I may need them"),
            ("no", "No"),
        ],
    )


def instrument_form(instrument: instruments.Instrument, skip: int = 0) -> type[StepForm]:
    """A form with one radio question per instrument item (from item `skip` on)."""
    fields: dict[str, Any] = {
        item.key: forms.TypedChoiceField(
            label=item.text,
            choices=[(v, label) for v, label in item.options],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": REQUIRED},
        )
        for item in instrument.items[skip:]
    }
    return type(f"{instrument.code.title()}Form", (StepForm,), fields)


class SupportForm(StepForm):
    supervisor_plan = _radio(
        "Who could watch you take your tablets?",
        [
            ("person", "Someone I trust (family, friend, workmate)"),
            ("clinic", "The clinic or a pharmacy"),
            ("not_sure", "I am not sure yet"),
        ],
    )
    counselling = _radio(
        "Counselling is part of the programme. Do you have a counsellor?",
        [
            ("clinic", "I would like counselling at the clinic"),
            ("outside", "I already see a counsellor"),
            ("not_sure", "I am not sure yet"),
        ],
    )
    consent = forms.BooleanField(
        label="I agree to take part in the programme. I understand the clinic will use my "
        "answers to decide whether naltrexone is safe for me.",
        error_messages={"required": "Tick the box to agree, or talk to your clinic first."},
    )


# --- Clinician records ---------------------------------------------------------------------------


def _not_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError("The date cannot be in the future.")


class UrineScreenForm(forms.ModelForm[UrineDrugScreen]):
    taken_on = _date("Date the sample was taken", validators=[_not_future])

    class Meta:
        model = UrineDrugScreen
        fields = ("taken_on", *UrineDrugScreen.ANALYTES)
        widgets = dict.fromkeys(UrineDrugScreen.ANALYTES, forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for a in UrineDrugScreen.ANALYTES:
            self.fields[a].choices = Result.choices  # type: ignore[attr-defined]


class NaloxoneForm(forms.ModelForm[NaloxoneChallenge]):
    done_on = _date("Date of the challenge", validators=[_not_future])

    class Meta:
        model = NaloxoneChallenge
        fields = ("done_on", "route", "dose_mg", "observed_minutes", "result")
        labels = {
            "dose_mg": "Dose of naloxone (mg)",
            "observed_minutes": "Observed for (minutes)",
            "result": "Result (positive: withdrawal signs)",
        }
        widgets = {"result": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dose_mg"].min_value = 0.01  # type: ignore[attr-defined]
        for item in instruments.COWS.items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=f"COWS: {item.text} (optional)",
                choices=[("", "Not scored"), *item.options],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def clean_dose_mg(self) -> Any:
        dose = self.cleaned_data["dose_mg"]
        if dose is not None and not (0 < dose <= 2):
            raise forms.ValidationError("Enter a dose between 0.01 and 2 mg.")
        return dose

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keys = [i.key for i in instruments.COWS.items]
        given = [k for k in keys if data.get(k) is not None]
        if given and len(given) != len(keys):
            self.add_error(None, "Score every COWS item, or none of them.")
        return data

    def cows_answers(self) -> dict[str, int]:
        keys = [i.key for i in instruments.COWS.items]
        if all(self.cleaned_data.get(k) is not None for k in keys):
            return {k: int(self.cleaned_data[k]) for k in keys}
        return {}


class LiverTestForm(forms.ModelForm[LiverFunctionTest]):
    taken_on = _date("Date the blood was taken", validators=[_not_future])

    class Meta:
        model = LiverFunctionTest
        fields = ("taken_on", "alt", "alt_uln", "ast", "ast_uln", "bilirubin", "bilirubin_uln")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in ("alt_uln", "ast_uln", "bilirubin_uln"):
            if data.get(key) == 0:
                self.add_error(key, "The upper limit of normal must be more than 0.")
        return data


class ProcedureForm(forms.Form):
    description = forms.CharField(label="Procedure", max_length=200)
    planned_on = _date("Planned date (optional)", required=False)
    opioid_pain_relief_expected = forms.BooleanField(
        label="Opioid pain relief is likely", required=False, initial=True
    )


class WashoutPlanForm(forms.ModelForm[WashoutPlan]):
    last_injection_on = _date("Date of the last depot injection", validators=[_not_future])
    earliest_first_dose = _date("Earliest date for the first naltrexone dose")

    class Meta:
        model = WashoutPlan
        fields = ("specialist", "last_injection_on", "earliest_first_dose", "plan")
        widgets = {"plan": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "plan": "The specialist's plan: checks before the first dose (urine screen, naloxone "
            "challenge) and what to do if withdrawal signs appear."
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        last, first = data.get("last_injection_on"), data.get("earliest_first_dose")
        if last and first and first <= last:
            self.add_error(
                "earliest_first_dose", "The first dose must come after the last injection."
            )
        return data


class PregnancyAdviceForm(forms.Form):
    given_on = _date("Date the specialist advice was given", validators=[_not_future])


class SupportRecordForm(forms.Form):
    clinic_supervision = forms.BooleanField(
        label="The clinic or a pharmacy will supervise doses", required=False
    )
    counselling_plan = forms.ChoiceField(
        label="Counselling plan",
        choices=[
            ("", "None yet"),
            ("clinic", "Counselling at the clinic"),
            ("outside", "An outside counsellor"),
        ],
        required=False,
    )


class EligibleForm(forms.Form):
    """The off-label confirmation exists only when the goal is cutting down on alcohol."""

    confirm_off_label = forms.BooleanField(
        label="I have read the off-label notice and confirm treatment for cutting down.",
        required=False,
    )

    def __init__(self, *args: Any, off_label: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not off_label:
            del self.fields["confirm_off_label"]


class NotEligibleForm(forms.Form):
    reason_for_patient = forms.CharField(
        label="What should we tell the patient?",
        help_text="The patient reads this. Explain kindly and say what other help there is.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why is it safe to go ahead?",
        help_text="Your reason is kept in the patient's record. Say what you checked and why "
        "the risk is acceptable (at least 40 characters).",
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=40,
        max_length=2000,
        error_messages={
            "required": "Write why it is safe to go ahead.",
            "min_length": "Write a reason of at least 40 characters: why is it safe to go ahead?",
        },
    )
