"""Forms only parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atis.agencies.importing import MAX_BYTES
from atis.agencies.models import ImportMode, LicenceStatus
from atis.geo.models import County


class AgencySearchForm(forms.Form):
    q = forms.CharField(label=_("Name or fiscal code"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Licence status"), required=False)
    county = forms.ModelChoiceField(label=_("County"), required=False, queryset=County.objects.order_by("name"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["status"].choices = [("", _("Any status")), *LicenceStatus.choices]  # type: ignore[attr-defined]
        self.fields["county"].empty_label = _("Any county")  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Registry file"),
        help_text=_("CSV (UTF-8, comma or semicolon) or XLSX, at most %(size)d MB; the first row names the columns.")
        % {"size": MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
