"""Forms only parse input: each lists the fields a user may send (mass-assignment allowlist)
and the service decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atis.strategy.models import DifficultyKind, Implementation, Indicator, ReportingRound
from atis.strategy.services import TEXT_MAX
from atis.strategy.xlsx import MAX_FILE_BYTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StrategyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Action plan (.xlsx)"), help_text=_("Use the template; at most 5 MB."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example “Semester I 2025”."))
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    due_on = forms.DateField(label=_("Reports due on"), widget=DateInput())


class ReportForm(forms.Form):
    implementation = forms.ChoiceField(label=_("State of the activity"), choices=Implementation.choices)
    narrative = forms.CharField(
        label=_("What was done in the period"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    difficulties = forms.CharField(
        label=_("Difficulties met"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    difficulty_kind = forms.ChoiceField(
        label=_("Kind of difficulty"), choices=[("", "—"), *DifficultyKind.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})",
                help_text=_("Baseline %(baseline)s, target %(target)s")
                % {"baseline": indicator.baseline, "target": indicator.target},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            )

    def indicator_fields(self) -> list[Any]:
        return [self[f"indicator_{indicator.pk}"] for indicator in self.indicators]

    def values(self) -> dict[int, Any]:
        return {indicator.pk: self.cleaned_data.get(f"indicator_{indicator.pk}") for indicator in self.indicators}


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"), help_text=_("PDF, image, DOCX, ODT or text; at most 10 MB."))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return for changes"))])
    comment = forms.CharField(
        label=_("Comments for the institution"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvaluationCreateForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Period"),
        queryset=ReportingRound.objects.none(),
        required=False,
        empty_label=_("The whole strategy so far"),
    )

    def __init__(self, *args: Any, rounds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]


class EvaluationForm(forms.Form):
    conclusions = forms.CharField(
        label=_("Conclusions"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class CarryOverForm(StrategyForm):
    pass
