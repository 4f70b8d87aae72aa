"""Forms of the case screens. They parse and check input; the services decide and write.

Every form lists the fields it accepts (no model form: a model form would write into the
instance the service compares against). Labels come from the models, so both languages
stay in one place.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model, Q, QuerySet
from django.forms.models import fields_for_model
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from atis.cases import services
from atis.cases.models import (
    Case,
    CaseStatus,
    ConsentPurpose,
    Person,
    Proceeding,
    Scope,
    Section,
    TraffickingEvent,
    TraffickingStatus,
)
from atis.cases.services import ReferralRequest
from atis.codelists.models import Code, CodeList
from atis.geo.models import County, Locality
from atis.organisations.models import Organisation, OrganisationKind

_ISO_COUNTRY = re.compile(r"^[A-Z]{2}$")
LOCALITIES_URL = reverse_lazy("cases:localities")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _code_field(field: forms.Field, code_list: CodeList, current: Iterable[int] = ()) -> None:
    """Offer the active codes of a list, and any inactive one the record already holds."""
    queryset: QuerySet[Code] = Code.objects.filter(list=code_list).filter(Q(is_active=True) | Q(pk__in=list(current)))
    field.queryset = queryset  # type: ignore[attr-defined]
    if isinstance(field, forms.ModelMultipleChoiceField):
        field.widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
        field.widget.choices = field.choices


def _organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


def clean_country(value: str, *, required: bool) -> str:
    value = (value or "").strip().upper()
    if not value and not required:
        return ""
    if not _ISO_COUNTRY.match(value):
        raise ValidationError(_("Give the two-letter country code (ISO 3166-1), for example RO, IT or DE."))
    return value


def _pks(instance: Model | None, name: str) -> list[int]:
    if instance is None or instance.pk is None:
        return []
    return list(getattr(instance, name).values_list("pk", flat=True))


class ModelFieldsForm(forms.Form):
    """A plain form whose fields are built from model fields (labels, choices, lengths)."""

    model: type[Model]
    field_names: tuple[str, ...] = ()
    date_fields: tuple[str, ...] = ()
    wide_fields: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        built = fields_for_model(
            self.model,
            fields=list(self.field_names),
            widgets={name: DateInput() for name in self.date_fields},
            apply_limit_choices_to=False,
        )
        for name, field in built.items():
            # The encrypted fields build their form field from a bare field: label and
            # blank= are lost on the way, so both are taken from the model field again.
            model_field = cast(models.Field, self.model._meta.get_field(name))  # type: ignore[type-arg]
            if field is not None and not model_field.many_to_many:
                field.label = capfirst(model_field.verbose_name)
                field.required = not model_field.blank
        # Own declarations (version, extra checks) stay after the model's fields.
        declared = dict(self.fields)
        self.fields = {**{name: field for name, field in built.items() if field is not None}, **declared}

    def data_for(self, names: Iterable[str]) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


# --- Person and case ----------------------------------------------------------------------

PERSON_FORM_FIELDS = (
    "first_name",
    "last_name",
    "cnp",
    "date_of_birth",
    "sex",
    "citizenship",
    "county",
    "locality",
    "phone",
    "email",
    "address",
    "languages",
    "education",
)


class PersonForm(ModelFieldsForm):
    model = Person
    field_names = (*PERSON_FORM_FIELDS, "vulnerabilities")
    date_fields = ("date_of_birth",)
    wide_fields = frozenset({"address", "vulnerabilities"})

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"] = forms.EmailField(
            label=self.fields["email"].label, required=False, max_length=254, widget=forms.EmailInput()
        )
        self.fields["address"].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["citizenship"].help_text = _("Two-letter country code, for example RO.")
        _code_field(self.fields["vulnerabilities"], CodeList.VULNERABILITY, _pks(person, "vulnerabilities"))
        _county_and_locality(self, "county", "locality")

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FORM_FIELDS}
        initial["county"] = person.county_id
        initial["locality"] = person.locality_id
        initial["vulnerabilities"] = _pks(person, "vulnerabilities")
        return initial

    def clean_cnp(self) -> str:
        cnp = "".join(self.cleaned_data.get("cnp", "").split())
        if cnp:
            services.validate_cnp(cnp)
        return cnp

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and (len([ch for ch in phone if ch.isdigit()]) < 6 or re.search(r"[^0-9+()./ -]", phone)):
            raise ValidationError(_("Give a phone number of digits, spaces and +, for example 0722 123 456."))
        return phone

    def clean_citizenship(self) -> str:
        return clean_country(self.cleaned_data.get("citizenship", ""), required=True)

    def clean_date_of_birth(self) -> datetime.date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        return born

    def person_data(self) -> dict[str, Any]:
        return self.data_for(PERSON_FORM_FIELDS)


def _county_and_locality(form: forms.Form, county_name: str, locality_name: str) -> None:
    """The locality select offers the localities of the chosen county; changing the county
    reloads them through htmx (the page works without it: the form says what is wrong)."""
    county_field = form.fields[county_name]
    locality_field = form.fields[locality_name]
    county_field.queryset = County.objects.order_by("name")  # type: ignore[attr-defined]
    county_field.widget.attrs.update(
        {
            "hx-get": str(LOCALITIES_URL),
            "hx-target": f"#{form[locality_name].auto_id}",
            "hx-swap": "innerHTML",
        }
    )
    source = form.data.get(form.add_prefix(county_name)) if form.is_bound else form.initial.get(county_name)
    chosen = str(source or "")
    locality_field.queryset = (  # type: ignore[attr-defined]
        Locality.objects.filter(county_id=int(chosen)).order_by("name") if chosen.isdigit() else Locality.objects.none()
    )
    locality_field.widget.choices = locality_field.choices  # type: ignore[attr-defined]


CASE_FORM_FIELDS = (
    "county",
    "notified_on",
    "notifying_institution",
    "trafficking_scope",
    "destination_country",
    "recruitment_method",
    "recruiter_relation",
    "exploitation_started_on",
    "exploitation_ended_on",
    "summary",
)
CASE_FORM_M2M = {
    "exploitation_forms": CodeList.EXPLOITATION_FORM,
    "sexual_exploitation_types": CodeList.SEXUAL_EXPLOITATION_TYPE,
    "labour_industries": CodeList.LABOUR_INDUSTRY,
    "control_methods": CodeList.CONTROL_METHOD,
}


class CaseForm(ModelFieldsForm):
    model = Case
    field_names = (
        "county",
        "notified_on",
        "notifying_institution",
        "trafficking_scope",
        "destination_country",
        *CASE_FORM_M2M,
        "recruitment_method",
        "recruiter_relation",
        "exploitation_started_on",
        "exploitation_ended_on",
        "summary",
    )
    date_fields = ("notified_on", "exploitation_started_on", "exploitation_ended_on")
    wide_fields = frozenset({*CASE_FORM_M2M, "summary"})

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["notifying_institution"].queryset = _organisations()  # type: ignore[attr-defined]
        self.fields["destination_country"].help_text = _("Two-letter country code; leave empty if unknown.")
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 4})
        for name, code_list in CASE_FORM_M2M.items():
            _code_field(self.fields[name], code_list, _pks(case, name))
        for name, code_list in (
            ("recruitment_method", CodeList.RECRUITMENT_METHOD),
            ("recruiter_relation", CodeList.RECRUITER_RELATION),
        ):
            current = getattr(case, f"{name}_id", None) if case else None
            _code_field(self.fields[name], code_list, [current] if current else [])

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in CASE_FORM_FIELDS:
            field = Case._meta.get_field(name)
            initial[name] = getattr(case, f"{name}_id") if field.many_to_one else getattr(case, name)
        for name in CASE_FORM_M2M:
            initial[name] = _pks(case, name)
        return initial

    def clean_destination_country(self) -> str:
        return clean_country(self.cleaned_data.get("destination_country", ""), required=False)

    def clean_notified_on(self) -> datetime.date | None:
        notified = self.cleaned_data.get("notified_on")
        if notified and notified > timezone.localdate():
            raise ValidationError(_("The notification date cannot be in the future."))
        return notified

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("exploitation_started_on"), data.get("exploitation_ended_on")
        if started and ended and ended < started:
            self.add_error("exploitation_ended_on", _("The exploitation cannot end before it started."))
        return data

    def case_data(self) -> dict[str, Any]:
        return self.data_for(CASE_FORM_FIELDS)

    def m2m_data(self) -> dict[str, Any]:
        return self.data_for(CASE_FORM_M2M)


class VersionedMixin(forms.Form):
    """The version the user started from; the service refuses to save over a newer one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PersonEditForm(PersonForm, VersionedMixin):
    pass


class CaseEditForm(CaseForm, VersionedMixin):
    pass


# --- List and search ----------------------------------------------------------------------

SORTS: dict[str, tuple[str, ...]] = {
    "-notified": ("-notified_on", "-id"),
    "notified": ("notified_on", "id"),
    "reference": ("reference",),
    "stage": ("status", "-notified_on", "-id"),
}


class CaseFilterForm(forms.Form):
    """The list's filters, read from the URL so a filtered list can be bookmarked and shared.

    No filter touches an identity field: those are encrypted and not searchable here.
    """

    status = forms.ChoiceField(label=_("Stage"), required=False)
    trafficking_status = forms.ChoiceField(label=_("Trafficking status"), required=False)
    form = forms.ModelChoiceField(
        label=_("Form of exploitation"),
        queryset=Code.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any form"),
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("name"),
        to_field_name="mnemonic",
        required=False,
        empty_label=_("Any county"),
    )
    centre = forms.ModelChoiceField(
        label=_("Regional centre"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.ANITP_CENTRE).order_by("name"),
        to_field_name="public_id",
        required=False,
        empty_label=_("Any centre"),
    )
    notified_from = forms.DateField(label=_("Notified from"), required=False, widget=DateInput())
    notified_to = forms.DateField(label=_("Notified until"), required=False, widget=DateInput())
    minor = forms.ChoiceField(
        label=_("Minor when identified"),
        required=False,
        choices=[("", _("Minors and adults")), ("yes", _("Minors only")), ("no", _("Adults only"))],
    )
    scope = forms.ChoiceField(label=_("Internal or international"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-notified", _("Notified, newest first")),
            ("notified", _("Notified, oldest first")),
            ("reference", _("Case reference")),
            ("stage", _("Stage")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["status"].choices = any_choice + list(CaseStatus.choices)  # type: ignore[attr-defined]
        self.fields["trafficking_status"].choices = any_choice + list(TraffickingStatus.choices)  # type: ignore[attr-defined]
        self.fields["scope"].choices = any_choice + list(Scope.choices)  # type: ignore[attr-defined]
        self.fields["form"].queryset = Code.objects.filter(list=CodeList.EXPLOITATION_FORM)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("notified_from"), data.get("notified_to")
        if start and end and end < start:
            self.add_error("notified_to", _("The end of the period cannot come before its start."))
        return data

    def apply(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        """Narrow an already scoped queryset; an invalid filter is ignored, never widened."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("status"):
            cases = cases.filter(status=data["status"])
        if data.get("trafficking_status"):
            cases = cases.filter(trafficking_status=data["trafficking_status"])
        if data.get("form"):
            cases = cases.filter(exploitation_forms=data["form"])
        if data.get("county"):
            cases = cases.filter(county=data["county"])
        if data.get("centre"):
            cases = cases.filter(centre=data["centre"])
        if data.get("notified_from"):
            cases = cases.filter(notified_on__gte=data["notified_from"])
        if data.get("notified_to"):
            cases = cases.filter(notified_on__lte=data["notified_to"])
        if data.get("minor") in ("yes", "no"):
            cases = cases.filter(minor_at_identification=data["minor"] == "yes")
        if data.get("scope"):
            cases = cases.filter(trafficking_scope=data["scope"])
        return cases.order_by(*SORTS.get(data.get("sort") or "-notified", SORTS["-notified"]))


class SearchForm(forms.Form):
    term = forms.CharField(
        label=_("Case or person reference, CNP or phone number"),
        max_length=40,
        help_text=_("Exact match only. The search is sent in the request body, never in the address bar."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


# --- Workflow -----------------------------------------------------------------------------


class IdentifyForm(forms.Form):
    identified_on = forms.DateField(label=_("Identified on"), widget=DateInput())
    identifying_institution = forms.ModelChoiceField(label=_("Identifying institution"), queryset=_organisations())
    deciding_institution = forms.ModelChoiceField(
        label=_("Institution that decided the status"),
        queryset=_organisations(),
        required=False,
        help_text=_("Leave empty when it is the identifying institution."),
    )


class NotVictimForm(forms.Form):
    deciding_institution = forms.ModelChoiceField(
        label=_("Institution that decided the status"), queryset=_organisations()
    )


class FollowUpForm(forms.Form):
    started_on = forms.DateField(
        label=_("Follow-up starts on"),
        widget=DateInput(),
        help_text=_("Follow-ups are scheduled 3, 6 and 12 months later."),
    )


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    reason = forms.ModelChoiceField(label=_("Reason for closing"), queryset=Code.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = Code.objects.filter(list=CodeList.CLOSURE_REASON, is_active=True)  # type: ignore[attr-defined]


class TaskDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    outcome = forms.CharField(label=_("Outcome"), max_length=300, required=False)


# --- Consent and referrals ----------------------------------------------------------------


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation the data may be shared with"),
        queryset=_organisations(),
        required=False,
        help_text=_("Only for consent to share data."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    given_by_representative = forms.BooleanField(label=_("Given by a legal representative"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def clean_given_on(self) -> datetime.date | None:
        given = self.cleaned_data.get("given_on")
        if given and given > timezone.localdate():
            raise ValidationError(_("Consent cannot be recorded for a future date."))
        return given


class ConsentWithdrawForm(forms.Form):
    consent = forms.IntegerField(widget=forms.HiddenInput)
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Refer to"), queryset=_organisations())
    services = forms.ModelMultipleChoiceField(label=_("Services requested"), queryset=Code.objects.none())
    sections = forms.MultipleChoiceField(
        label=_("Parts of the case the organisation may see"),
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=Code.objects.none(), required=False)
    message = forms.CharField(
        label=_("Message to the receiving organisation"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override_reason = forms.CharField(
        label=_("Reason for referring without the person's consent"),
        max_length=300,
        required=False,
        help_text=_("Only when no consent to share with this organisation is on file, and the law allows it."),
    )
    wide_fields = frozenset({"services", "sections", "message", "override_reason"})

    def __init__(self, *args: Any, may_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self.fields["services"], CodeList.SERVICE_TYPE)
        self.fields["reason"].queryset = Code.objects.filter(list=CodeList.REFERRAL_REASON, is_active=True)  # type: ignore[attr-defined]
        if not may_override:
            # Mass-assignment guard: a role that may not override never sends the field.
            del self.fields["override_reason"]

    def request(self) -> ReferralRequest:
        data = self.cleaned_data
        return ReferralRequest(
            to_organisation=data["to_organisation"],
            services=list(data["services"]),
            sections=list(data["sections"]),
            reason=data.get("reason"),
            message=data.get("message", ""),
            override_reason=data.get("override_reason", ""),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


# --- Events, proceedings, notes, attachments ----------------------------------------------


class EventForm(ModelFieldsForm):
    model = TraffickingEvent
    field_names = services.EVENT_FIELDS
    date_fields = ("started_on", "ended_on")
    wide_fields = frozenset({"notes"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].help_text = _("Two-letter country code, for example RO or IT.")
        self.fields["county"].help_text = _("In Romania only.")
        self.fields["place"].help_text = _("Abroad only: city or region.")
        self.fields["notes"].widget = forms.Textarea(attrs={"rows": 3})
        _county_and_locality(self, "county", "locality")

    @classmethod
    def initial_for(cls, event: TraffickingEvent) -> dict[str, Any]:
        initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
        initial["county"], initial["locality"] = event.county_id, event.locality_id
        return initial

    def clean_country(self) -> str:
        return clean_country(self.cleaned_data.get("country", ""), required=True)

    def event_data(self) -> dict[str, Any]:
        return self.data_for(services.EVENT_FIELDS)


class ProceedingForm(ModelFieldsForm):
    model = Proceeding
    field_names = services.PROCEEDING_FIELDS
    date_fields = ("updated_on",)
    wide_fields = frozenset({"protection_measures"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prosecuting_unit"].queryset = _organisations().filter(  # type: ignore[attr-defined]
            kind__in=[OrganisationKind.DIICOT, OrganisationKind.POLICE, OrganisationKind.BORDER_POLICE]
        )
        self.fields["protection_measures"].widget = forms.Textarea(attrs={"rows": 3})

    @classmethod
    def initial_for(cls, proceeding: Proceeding) -> dict[str, Any]:
        initial = {name: getattr(proceeding, name) for name in services.PROCEEDING_FIELDS}
        initial["prosecuting_unit"] = proceeding.prosecuting_unit_id
        return initial

    def proceeding_data(self) -> dict[str, Any]:
        return self.data_for(services.PROCEEDING_FIELDS)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_body(self) -> str:
        # Typed as plain text: escaped, paragraphs kept. The service sanitises again.
        return linebreaks(self.cleaned_data["body"].strip(), autoescape=True)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
