"""Forms parse input only: each lists the fields a user may write (an allowlist), no more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from atis.accounts.models import User
from atis.cases.models import Section
from atis.codelists.models import Code, CodeList
from atis.cooperation.models import (
    Agreement,
    AgreementKind,
    AgreementVisibility,
    DecisionStatus,
    Direction,
    PacketFormat,
    ReturnStatus,
    TransnationalStatus,
    TrmPhase,
)
from atis.geo.models import County
from atis.library.models import Document
from atis.organisations.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def service_types() -> QuerySet[Code]:
    return Code.objects.filter(list=CodeList.SERVICE_TYPE, is_active=True)


class ContactPointForm(forms.Form):
    role = forms.CharField(label=_("Role"), max_length=120, help_text=_("For example: referral focal point."))
    name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class PartnerServiceForm(forms.Form):
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=Code.objects.none())
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all())
    capacity = forms.IntegerField(label=_("Capacity (persons)"), min_value=0, required=False)
    conditions = forms.CharField(label=_("Conditions of access"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types()  # type: ignore[attr-defined]


class AgreementForm(forms.ModelForm):  # type: ignore[type-arg]
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    wide_fields = ("title", "scope", "parties")

    class Meta:
        model = Agreement
        fields = ["title", "kind", "signed_on", "expires_on", "visibility", "scope", "parties"]
        widgets = {"signed_on": DATE, "expires_on": DATE, "scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AgreementKind.choices  # type: ignore[attr-defined]
        self.fields["visibility"].choices = AgreementVisibility.choices  # type: ignore[attr-defined]


class DocumentLinkForm(forms.Form):
    document: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("Library document"),
        queryset=Document.objects.none(),
        help_text=_("Agreements' texts are best kept internal: a public library document is on the public portal."),
    )

    def __init__(self, *args: Any, documents: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents  # type: ignore[attr-defined]
        self.fields["document"].label_from_instance = lambda document: (  # type: ignore[attr-defined]
            f"{document.title} ({document.year}, {document.get_visibility_display()})"
        )


class ObligationForm(forms.Form):
    description = forms.CharField(label=_("Obligation"), max_length=500)
    party = forms.ModelChoiceField(label=_("Party"), queryset=Organisation.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args: Any, parties: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TeamCreateForm(forms.Form):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.none())
    chair = forms.ModelChoiceField(label=_("Chaired by (prefect's institution)"), queryset=Organisation.objects.none())

    def __init__(
        self, *args: Any, counties: QuerySet[County], prefectures: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties  # type: ignore[attr-defined]
        self.fields["chair"].queryset = prefectures  # type: ignore[attr-defined]


class TeamMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Institution"), queryset=Organisation.objects.filter(is_active=True, country="RO").order_by("name")
    )
    representative = forms.CharField(label=_("Representative"), max_length=150, required=False)
    representative_role = forms.CharField(label=_("Representative's position"), max_length=120, required=False)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.ModelMultipleChoiceField(
        label=_("Institutions present"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    wide_fields = ("participants", "agenda", "minutes")

    def __init__(self, *args: Any, members: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = members  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=500)
    owner_organisation = forms.ModelChoiceField(
        label=_("Responsible institution"), queryset=Organisation.objects.none()
    )
    owner = forms.ModelChoiceField(label=_("Responsible person"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    wide_fields = ("text",)

    def __init__(self, *args: Any, members: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = members  # type: ignore[attr-defined]
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, memberships__is_active=True, memberships__organisation__in=members
        ).order_by("username")
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    noted_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("What was done about it"), max_length=500)
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)


class TransnationalForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    counterpart = forms.ModelChoiceField(label=_("Foreign counterpart"), queryset=Organisation.objects.none())
    phase = forms.ChoiceField(label=_("Phase"), choices=TrmPhase.choices)
    sections = forms.MultipleChoiceField(
        label=_("Parts of the case the counterpart may receive"),
        choices=[(value, label) for value, label in Section.choices if value != Section.NOTES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only with the person's consent to share with this counterpart, recorded on the case."),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services requested"), queryset=Code.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(label=_("Message to the counterpart"), max_length=500, required=False)
    wide_fields = ("sections", "services", "message")

    def __init__(self, *args: Any, counterparts: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].queryset = counterparts  # type: ignore[attr-defined]
        self.fields["counterpart"].label_from_instance = lambda org: f"{org.country} · {org.name}"  # type: ignore[attr-defined]
        self.fields["services"].queryset = service_types()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sections") and not data.get("services"):
            self.add_error("services", _("Choose at least one service."))
        return data


class TransnationalUpdateForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=TrmPhase.choices)
    status = forms.ChoiceField(label=_("Status"), choices=TransnationalStatus.choices)
    return_status = forms.ChoiceField(label=_("Return"), choices=ReturnStatus.choices)
    returned_on = forms.DateField(label=_("Returned on"), required=False, widget=DATE)
    follow_up = forms.CharField(label=_("Follow-up notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    wide_fields = ("follow_up",)


class PacketForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=PacketFormat.choices, widget=forms.RadioSelect, initial=PacketFormat.JSON
    )
