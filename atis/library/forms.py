from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atis.library.models import Category, DocumentLanguage, DocumentStatus, Visibility
from atis.library.selectors import Filters, Sort
from atis.library.services import DocumentData

QUERY_MAX = 200


class FilterForm(forms.Form):
    """The library's filters, read from the URL so a filtered list can be shared."""

    q = forms.CharField(label=_("Search the documents"), required=False, max_length=QUERY_MAX)
    category = forms.ChoiceField(label=_("Category"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    language = forms.ChoiceField(label=pgettext_lazy("document", "Language"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("Best match when searching, else newest")),
            (Sort.DATE, _("Newest first")),
            (Sort.RELEVANCE, _("Best match")),
        ],
    )

    def __init__(self, data: Any = None, *, years: list[int]) -> None:
        super().__init__(data)
        choices: dict[str, list[tuple[Any, Any]]] = {
            "category": [("", _("All categories")), *Category.choices],
            "year": [("", _("All years")), *((year, str(year)) for year in years)],
            "language": [("", _("All languages")), *DocumentLanguage.choices],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def filters(self) -> Filters:
        """What was valid of the request; a stale or mistyped value is simply left out."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            category=data.get("category") or "",
            year=data.get("year"),
            language=data.get("language") or "",
            query=(data.get("q") or "")[:QUERY_MAX],
            sort=data.get("sort") or "",
        )


class DocumentForm(forms.Form):
    title_ro = forms.CharField(label=_("Title in Romanian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    description_ro = forms.CharField(
        label=_("Description in Romanian"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    language = forms.ChoiceField(label=pgettext_lazy("document", "Language"), choices=DocumentLanguage.choices)
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Visibility.choices,
        help_text=_("Internal documents are shown only to signed-in staff, never to the public."),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=400, help_text=_("Separated by commas, e.g. minors, labour")
    )
    wide_fields = ("description_ro", "description_en")

    def document_data(self) -> DocumentData:
        data = self.cleaned_data
        return DocumentData(
            title_ro=data["title_ro"],
            title_en=data["title_en"],
            description_ro=data["description_ro"],
            description_en=data["description_en"],
            category=data["category"],
            year=data["year"],
            language=data["language"],
            visibility=data["visibility"],
            tags=tuple(tag.strip() for tag in data["tags"].split(",") if tag.strip()),
        )

    @classmethod
    def initial_for(cls, document: Any) -> dict[str, Any]:
        fields = (
            "title_ro",
            "title_en",
            "description_ro",
            "description_en",
            "category",
            "year",
            "language",
            "visibility",
        )
        initial = {field: getattr(document, field) for field in fields}
        initial["tags"] = ", ".join(tag.name for tag in document.tags.all())
        return initial


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX or ODT. Its text is read so the document can be found by what it says."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.odt,application/pdf,application/vnd.oasis.opendocument.text"}
        ),
    )


class NewDocumentForm(DocumentForm):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, DOCX or ODT; more files can be added afterwards."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )


class ManageFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=QUERY_MAX)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *DocumentStatus.choices]
    )
