"""Forms of the HelpLine. They only parse input; the rules live in services."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atis.cases.models import Sex
from atis.codelists.models import CodeList
from atis.geo.models import County
from atis.helpline.countries import country_choices
from atis.helpline.models import Language
from atis.helpline.selectors import helpline_codes
from atis.helpline.services import AUTHORITY_KINDS
from atis.organisations.models import Organisation

DATETIME_FORMAT = "%Y-%m-%d %H:%M"
DATETIME_INPUTS = [DATETIME_FORMAT, "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S"]
_DURATION = re.compile(r"^\s*(\d{1,3})(?:[:.](\d{1,2}))?\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class CodeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class ClockOrDateTimeField(forms.DateTimeField):
    """A date and time, or just a time of today ("14:05"), typed in one text box."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        if isinstance(value, str) and (match := _CLOCK.match(value)):
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour > 23 or minute > 59:
                raise ValidationError(_("Enter a valid time, for example 14:05."), code="invalid")
            return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour, minute)))
        return super().to_python(value)


def _text_datetime(**attrs: str) -> forms.DateTimeInput:
    return forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"inputmode": "numeric", "autocomplete": "off", **attrs})


class IntakeForm(forms.Form):
    """The one-page intake of a contact; the field order is the tab order."""

    contact_type = CodeChoiceField(label=_("Type of contact"), queryset=helpline_codes(CodeList.HELPLINE_CONTACT_TYPE))
    caller_role = CodeChoiceField(label=_("Caller"), queryset=helpline_codes(CodeList.HELPLINE_CALLER_ROLE))
    channel = CodeChoiceField(label=_("Channel"), queryset=helpline_codes(CodeList.HELPLINE_CHANNEL))
    started_at = ClockOrDateTimeField(
        label=_("Started (or received) at"),
        input_formats=DATETIME_INPUTS,
        widget=_text_datetime(),
        help_text=_("YYYY-MM-DD HH:MM, or just HH:MM for today."),
    )
    duration = forms.CharField(
        label=_("Duration (minutes)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
        help_text=_("Minutes, or minutes:seconds (4:30). Empty for a written message."),
    )
    topics = CodeMultipleChoiceField(
        label=_("Topics"),
        queryset=helpline_codes(CodeList.HELPLINE_TOPIC),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    destination_country = forms.ChoiceField(label=_("Destination country"), required=False)
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.order_by("name"), required=False, empty_label="—"
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.ROMANIAN)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was asked and answered. No names unless the caller agreed."),
    )
    emergency = forms.BooleanField(label=_("Imminent danger (emergency)"), required=False)
    emergency_action = forms.CharField(
        label=_("What was done"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    emergency_action_at = ClockOrDateTimeField(
        label=_("When it was done"),
        required=False,
        input_formats=DATETIME_INPUTS,
        widget=_text_datetime(placeholder="HH:MM"),
    )
    identity_agreed = forms.BooleanField(label=_("The caller agrees that their details be kept"), required=False)
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=150)
    caller_number = forms.CharField(
        label=_("Caller's number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    recognise_repeat = forms.BooleanField(
        label=_("Recognise repeat calls from this number"),
        required=False,
        help_text=_("Without agreement only a fingerprint (keyed hash) of the number is kept, never the number."),
    )
    # Filled by the job-offer check panel; the offer's text is never part of this form.
    job_offer_level = forms.CharField(required=False, widget=forms.HiddenInput)
    job_offer_signs = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_country"].choices = [("", "—"), *country_choices()]  # type: ignore[attr-defined]
        self.fields["contact_type"].widget.attrs["autofocus"] = True
        # Leaving the number field asks how many earlier contacts came from it (by POST).
        self.fields["caller_number"].widget.attrs.update(
            {"hx-post": reverse("helpline:caller_check"), "hx-trigger": "change", "hx-target": "#caller-check"}
        )
        for name in ("contact_type", "caller_role", "channel"):
            self.fields[name].empty_label = None  # type: ignore[attr-defined]

    def clean_duration(self) -> int | None:
        raw = self.cleaned_data.get("duration", "")
        if not raw:
            return None
        match = _DURATION.match(raw)
        if not match or int(match.group(2) or 0) > 59:
            raise ValidationError(_("Give the minutes (7) or minutes:seconds (7:30)."))
        return int(match.group(1)) * 60 + int(match.group(2) or 0)

    def clean_job_offer_signs(self) -> list[str]:
        raw = self.cleaned_data.get("job_offer_signs", "")
        return [code for code in raw.split(",") if code][:40]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["duration_seconds"] = data.pop("duration")
        level, signs = data.pop("job_offer_level"), data.pop("job_offer_signs")
        data["job_offer"] = (level, signs) if level else None
        return data


class CallerCheckForm(forms.Form):
    caller_number = forms.CharField(required=False, max_length=40)


class EscalateCaseForm(forms.Form):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("name"))
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    summary = forms.CharField(
        label=_("What the centre needs to know"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent_given = forms.BooleanField(label=_("The person consents to assistance and protection"), required=False)
    consent_given_on = forms.DateField(label=_("Consent given on"), required=False)


class NotifyForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Police unit or prosecutor's office"),
        queryset=Organisation.objects.filter(kind__in=AUTHORITY_KINDS, is_active=True).order_by("name"),
    )
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("name"))
    message = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("What to do"), max_length=300)
    due_at = ClockOrDateTimeField(label=_("Due at"), input_formats=DATETIME_INPUTS, widget=_text_datetime())


class JobOfferForm(forms.Form):
    offer_text = forms.CharField(
        label=_("Text of the job offer"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Paste or type the offer. It is checked, not stored."),
    )


class StatisticsFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The start date is after the end date."))
        return data
