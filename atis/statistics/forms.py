from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atis.geo.models import County
from atis.organisations.models import Organisation, OrganisationKind
from atis.statistics.selectors import DIMENSION_LABELS, Filters


def _dimension_choices(blank: bool) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("(none)"))] if blank else []
    return choices + list(DIMENSION_LABELS.items())


class TableForm(forms.Form):
    """What to count: rows, optional columns, and the filters; bad input falls back to the default."""

    rows = forms.ChoiceField(label=_("Rows"), choices=_dimension_choices(False), initial="form")
    columns = forms.ChoiceField(label=_("Columns"), choices=_dimension_choices(True), required=False, initial="sex")
    layer = forms.ChoiceField(
        label=_("Split by"),
        choices=_dimension_choices(True),
        required=False,
        help_text=_("A third breakdown: one table for each of its values."),
    )
    year_from = forms.IntegerField(label=_("From year"), min_value=1990, max_value=2100, required=False)
    year_to = forms.IntegerField(label=_("To year"), min_value=1990, max_value=2100, required=False)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("name"), required=False)
    centre = forms.ModelChoiceField(
        label=_("Regional centre"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.ANITP_CENTRE).order_by("name"),
        required=False,
    )
    unsuppressed = forms.BooleanField(label=_("Exact figures (recorded in the audit log)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("columns") and data.get("columns") == data.get("rows"):
            self.add_error("columns", _("Choose a different breakdown for the columns."))
        layer = data.get("layer")
        if layer and not data.get("columns"):
            self.add_error("layer", _("Choose the columns before a third breakdown."))
        elif layer and layer in (data.get("rows"), data.get("columns")):
            self.add_error("layer", _("Choose a different breakdown for the split."))
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", _("The last year comes before the first."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            county_id=data["county"].pk if data.get("county") else None,
            centre_id=data["centre"].pk if data.get("centre") else None,
        )


class ImportForm(forms.Form):
    """An international file to import: which source, the file, and a CTDC release label."""

    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            ("glotip", _("UNODC GLOTIP series (CSV)")),
            ("ctdc", _("CTDC release: global, global synthetic or victim-perpetrator synthetic (CSV or CSV.GZ)")),
        ],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.gz,text/csv"}))
    release = forms.CharField(
        label=_("CTDC release"),
        required=False,
        max_length=20,
        help_text=_("The release date, such as 2022-12-01; by default the date in the file name."),
    )
