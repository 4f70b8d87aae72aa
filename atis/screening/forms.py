"""Forms only parse input: each lists the fields a user may send (mass-assignment allowlist)
and the service decides."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atis.codelists.models import Code, CodeList
from atis.codelists.selectors import codes
from atis.screening import job_offers
from atis.screening.models import Answer, IloIndicator, Indicator
from atis.screening.rules import Dimension, IndicatorList, Strength
from atis.screening.services import ANSWER_NOTE_MAX, EDITABLE_FIELDS, NOTE_MAX

OFFER_TEXT_MAX = 20_000


class StartForm(forms.Form):
    list = forms.ChoiceField(label=_("List of indicators"), choices=IndicatorList.choices)


class QuestionnaireForm(forms.Form):
    """One answer (present / absent / not known) and an optional note per active indicator."""

    note = forms.CharField(
        label=_("Note on this screening"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, indicators: Iterable[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"answer_{indicator.pk}"] = forms.ChoiceField(
                label=indicator.label,
                choices=Answer.choices,
                initial=Answer.UNKNOWN,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=ANSWER_NOTE_MAX
            )

    def grouped(self) -> list[tuple[str, list[tuple[Indicator, forms.BoundField, forms.BoundField]]]]:
        groups: dict[str, list[tuple[Indicator, forms.BoundField, forms.BoundField]]] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.dimension, []).append(
                (indicator, self[f"answer_{indicator.pk}"], self[f"note_{indicator.pk}"])
            )
        return [(str(Dimension(letter).label), rows) for letter, rows in sorted(groups.items())]


class PrefillForm(forms.Form):
    control_methods = forms.ModelMultipleChoiceField(
        label=_("Methods of control"), queryset=Code.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    exploitation_forms = forms.ModelMultipleChoiceField(
        label=_("Forms of exploitation"),
        queryset=Code.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, proposals: dict[str, list[Code]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("control_methods", "exploitation_forms"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = Code.objects.filter(pk__in=[code.pk for code in proposals[name]])
            self.initial.setdefault(name, [code.pk for code in proposals[name]])


class IndicatorForm(forms.ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=300,
        help_text=_("Kept in the history, e.g. the source of a new grade."),
    )

    class Meta:
        model = Indicator
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        control = self.fields["control_method"]
        forms_field = self.fields["exploitation_form"]
        assert isinstance(control, forms.ModelChoiceField) and isinstance(forms_field, forms.ModelChoiceField)
        control.queryset = Code.objects.filter(list=CodeList.CONTROL_METHOD)
        forms_field.queryset = Code.objects.filter(list=CodeList.EXPLOITATION_FORM)


class IndicatorCreateForm(forms.Form):
    list = forms.ChoiceField(label=pgettext_lazy("indicator list", "List"), choices=IndicatorList.choices)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    code = forms.SlugField(label=_("Code"), max_length=60, help_text=_("Letters, digits, - and _; it never changes."))
    label_en = forms.CharField(label=_("Text in English"), max_length=300)
    label_ro = forms.CharField(label=_("Text in Romanian"), max_length=300)
    strength = forms.ChoiceField(label=_("Strength"), choices=Strength.choices)
    ilo_indicator = forms.ChoiceField(
        label=_("ILO forced-labour indicator"), choices=[("", "—"), *IloIndicator.choices], required=False
    )
    control_method = forms.ModelChoiceField(
        label=_("Method of control it suggests (HTCDS)"), queryset=codes(CodeList.CONTROL_METHOD), required=False
    )
    exploitation_form = forms.ModelChoiceField(
        label=_("Form of exploitation it suggests (HTCDS)"), queryset=codes(CodeList.EXPLOITATION_FORM), required=False
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=100)
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=300)


YES_NO = [("unknown", _("I don't know")), ("yes", _("Yes")), ("no", _("No"))]


class JobOfferForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the job offer"),
        max_length=OFFER_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Paste the advertisement or the message you received, in Romanian or English."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, _alarming in job_offers.QUESTIONS:
            self.fields[f"q_{key}"] = forms.ChoiceField(
                label=cast(Any, label), choices=YES_NO, required=False, initial="unknown"
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{key}"] for key, _label, _alarming in job_offers.QUESTIONS]

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"q_{key}") or "unknown" for key, _label, _alarming in job_offers.QUESTIONS}


class PublicJobOfferForm(JobOfferForm):
    call_back = forms.BooleanField(label=_("I would like the HelpLine to call me back"), required=False)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    consent = forms.BooleanField(
        label=_("I agree that the HelpLine keeps my phone number to call me back about this offer."), required=False
    )
