"""Forms only parse input: each lists the fields a user may send (mass-assignment allowlist)
and the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from atis.campaigns.models import AgeBand, Campaign, CampaignCode, CodeKind, ParticipantSex
from atis.campaigns.selectors import codes_of
from atis.campaigns.services import (
    CAMPAIGN_FIELDS,
    CAMPAIGN_RELATIONS,
    TEXT_MAX,
    ActivityData,
    CampaignData,
    EvaluationData,
)
from atis.codelists.models import CodeList
from atis.codelists.selectors import codes
from atis.geo.models import County, Locality
from atis.library.models import Category, Document
from atis.library.selectors import documents_visible_to
from atis.organisations.models import Organisation

LOCALITIES_URL = reverse_lazy("campaigns:localities")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _count_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class CodeChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    objectives = forms.CharField(label=_("Objectives"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    exploitation_forms = CodeChoiceField(
        label=_("Forms of exploitation addressed"), queryset=codes(CodeList.EXPLOITATION_FORM)
    )
    target_groups = CodeChoiceField(label=_("Target groups"), queryset=codes_of(CodeKind.TARGET_GROUP))
    channels = CodeChoiceField(label=_("Channels"), queryset=codes_of(CodeKind.CHANNEL))
    is_national = forms.BooleanField(label=_("The whole country"), required=False)
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties"),
        queryset=County.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several. Leave empty for a national campaign."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    materials = forms.ModelMultipleChoiceField(
        label=_("Campaign materials"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Posters, leaflets and videos from the document library."),
    )
    budget = forms.DecimalField(label=_("Budget (lei)"), required=False, min_value=0, max_digits=12, decimal_places=2)
    funding_sources = forms.CharField(label=_("Sources of funding"), required=False, max_length=300)
    target_people = _count_field(_("Target: people reached"), required=False)
    target_events = _count_field(_("Target: activities"), required=False)
    target_materials = _count_field(_("Target: materials distributed"), required=False)
    target_media_reach = _count_field(_("Target: online and media reach"), required=False)
    is_public = forms.BooleanField(label=_("Show on the public portal once running"), required=False)
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the public portal shows. No names of people."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only materials the officer may open in the library can be chosen.
        materials = documents_visible_to(user).filter(category=Category.CAMPAIGNS).order_by("-year", "title_ro")
        self.fields["materials"].queryset = materials  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict[str, Any]:
        initial = {name: getattr(campaign, name) for name in (*CAMPAIGN_FIELDS, "version")}
        for name in CAMPAIGN_RELATIONS:
            initial[name] = list(getattr(campaign, name).values_list("pk", flat=True))
        return initial

    def data_object(self) -> CampaignData:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for name in ("exploitation_forms", "target_groups", "channels", "counties", "partners", "materials"):
            data[name] = list(data[name])
        data["funding_sources"] = data["funding_sources"] or ""
        data["public_summary"] = data["public_summary"] or ""
        return CampaignData(**data)


class ActivityForm(forms.Form):
    """Quick to fill on a phone: the essentials first, one row of four numbers per target group."""

    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("name"))
    locality = forms.ModelChoiceField(label=_("Locality"), queryset=Locality.objects.none(), required=False)
    venue = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("A school, a hall, a street.")
    )
    activity_type = forms.ModelChoiceField(label=_("Type"), queryset=codes_of(CodeKind.ACTIVITY_TYPE))
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=codes_of(CodeKind.CHANNEL))
    materials_distributed = _count_field(_("Materials distributed"), initial=0)
    media_reach = _count_field(
        _("Online or media reach"), initial=0, help_text=_("Views, listeners or readers, when known.")
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    CELLS = (
        (ParticipantSex.FEMALE, AgeBand.ADULT, _("Women")),
        (ParticipantSex.MALE, AgeBand.ADULT, _("Men")),
        (ParticipantSex.FEMALE, AgeBand.MINOR, _("Girls")),
        (ParticipantSex.MALE, AgeBand.MINOR, _("Boys")),
    )

    def __init__(self, *args: Any, groups: list[CampaignCode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        for group in groups:
            for sex, age_band, label in self.CELLS:
                self.fields[self.cell_name(group, sex, age_band)] = _count_field(label, required=False)
        county_field = self.fields["county"]
        county_field.widget.attrs.update(
            {"hx-get": str(LOCALITIES_URL), "hx-target": f"#{self['locality'].auto_id}", "hx-swap": "innerHTML"}
        )
        source = self.data.get(self.add_prefix("county")) if self.is_bound else self.initial.get("county")
        chosen = str(getattr(source, "pk", source) or "")
        locality_field = self.fields["locality"]
        locality_field.queryset = (  # type: ignore[attr-defined]
            Locality.objects.filter(county_id=int(chosen)).order_by("name")
            if chosen.isdigit()
            else Locality.objects.none()
        )

    @staticmethod
    def cell_name(group: CampaignCode, sex: str, age_band: str) -> str:
        return f"p_{group.code}_{sex}_{age_band}"

    def participant_rows(self) -> list[tuple[CampaignCode, list[forms.BoundField]]]:
        return [
            (group, [self[self.cell_name(group, sex, age_band)] for sex, age_band, _label in self.CELLS])
            for group in self.groups
        ]

    def plain_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("p_")]

    def data_object(self) -> ActivityData:
        data = self.cleaned_data
        participants = {}
        for group in self.groups:
            for sex, age_band, _label in self.CELLS:
                value = data.get(self.cell_name(group, sex, age_band))
                if value:
                    participants[(group, str(sex), str(age_band))] = value
        return ActivityData(
            held_on=data["held_on"],
            county=data["county"],
            locality=data["locality"],
            venue=data["venue"] or "",
            activity_type=data["activity_type"],
            channel=data["channel"],
            partners=list(data["partners"]),
            materials_distributed=data["materials_distributed"] or 0,
            media_reach=data["media_reach"] or 0,
            notes=data["notes"] or "",
            participants=participants,
        )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("JPEG or PNG. Location and camera data are removed. Avoid faces of minors."),
    )


class EvaluationForm(forms.Form):
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    survey_pre_respondents = _count_field(_("Survey before: respondents"), required=False)
    survey_pre_aware = _count_field(_("Survey before: aware of the risks"), required=False)
    survey_post_respondents = _count_field(_("Survey after: respondents"), required=False)
    survey_post_aware = _count_field(_("Survey after: aware of the risks"), required=False)

    def data_object(self) -> EvaluationData:
        data = dict(self.cleaned_data)
        data["conclusions"] = data["conclusions"] or ""
        return EvaluationData(**data)
