"""Forms only parse input (each lists the fields a user may send); the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atis.knowledge.countries import country_choices
from atis.knowledge.models import ArticleKind, Audience, Language, Topic
from atis.knowledge.services import BODY_MAX, NOTE_MAX, TITLE_MAX


class ArticleSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Destination country"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Any kind")), *ArticleKind.choices]  # type: ignore[attr-defined]
        self.fields["language"].choices = [("", _("Any language")), *Language.choices]  # type: ignore[attr-defined]


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    country = forms.ChoiceField(
        label=_("Destination country"),
        required=False,
        help_text=_("Leave empty for an article that holds for any country."),
    )
    topic_codes = forms.MultipleChoiceField(
        label=_("HelpLine topics it answers"),
        required=False,
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The article is suggested to operators for contacts about these topics."),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, initial=Audience.INTERNAL)
    language = forms.ChoiceField(label=_("Language of this text"), choices=Language.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Plain text. A blank line starts a new paragraph; lines starting with “- ” make a list, "
            "“## ” a heading; **words** are bold; web addresses become links."
        ),
    )
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("A short note for the history, for example “new address of the consulate”."),
    )
    publish = forms.BooleanField(
        label=_("Publish this version"),
        required=False,
        help_text=_("Unpublished versions are drafts that only editors see."),
    )
    base_number = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country (general)")), *country_choices()]  # type: ignore[attr-defined]
