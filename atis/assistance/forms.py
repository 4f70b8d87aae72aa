"""Forms only parse input: each lists the fields a user may send (mass-assignment allowlist)
and the service decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atis.assistance.models import GoalStatus, ServiceOutcome, Shelter
from atis.assistance.services import GOAL_MAX, NOTES_MAX
from atis.codelists.models import CodeList
from atis.codelists.selectors import codes
from atis.organisations.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanForm(forms.Form):
    needs_assessment = forms.CharField(
        label=_("Needs assessment"),
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The person's needs as assessed with them: health, safety, housing, family, work, legal."),
    )


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Goal"), max_length=GOAL_MAX)
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=codes(CodeList.SERVICE_TYPE))
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    notes = forms.CharField(label=_("Findings"), max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ServiceForm(forms.Form):
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=codes(CodeList.SERVICE_TYPE))
    provider = forms.ModelChoiceField(label=_("Provided by"), queryset=Organisation.objects.none())
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ServiceOutcome.choices, initial=ServiceOutcome.ONGOING)
    ended_on = forms.DateField(
        label=_("Ended on"), required=False, widget=DateInput(), help_text=_("Empty while the service goes on.")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        field.queryset = providers  # type: ignore[attr-defined]
        if len(providers) == 1:
            field.initial = providers[0]


class ServiceUpdateForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ServiceOutcome.choices)
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DateInput())


class PlacementForm(forms.Form):
    shelter = forms.ModelChoiceField(label=_("Shelter"), queryset=Shelter.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args: Any, shelters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shelter"]
        field.queryset = shelters  # type: ignore[attr-defined]
        field.label_from_instance = _shelter_choice  # type: ignore[attr-defined]


def _shelter_choice(shelter: Shelter) -> str:
    county = shelter.organisation.county
    free = getattr(shelter, "free_places", None)
    label = f"{shelter.organisation} ({county})" if county else str(shelter.organisation)
    if free is None:
        return label
    return _("%(shelter)s: %(free)d free") % {"shelter": label, "free": max(free, 0)}


class ReleaseForm(forms.Form):
    ends_on = forms.DateField(label=_("Left on"), widget=DateInput())
