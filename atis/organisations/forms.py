from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atis.geo.models import County
from atis.organisations.models import Organisation, OrganisationKind
from atis.organisations.services import EDITABLE_FIELDS


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = list(EDITABLE_FIELDS)


class CoverageForm(forms.Form):
    """One select per county; the field name is the county's ISO code."""

    def __init__(self, *args: Any, counties: list[tuple[County, Organisation | None]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centres = Organisation.objects.filter(kind=OrganisationKind.ANITP_CENTRE, is_active=True)
        self.counties = {}
        for county, centre in counties:
            self.fields[county.iso_code] = forms.ModelChoiceField(
                label=county.name,
                queryset=centres,
                initial=centre,
                required=True,
                error_messages={"required": _("Choose the regional centre for this county.")},
            )
            self.counties[county.iso_code] = county

    def assignments(self) -> dict[County, Organisation]:
        return {self.counties[code]: centre for code, centre in self.cleaned_data.items()}
