from django import forms
from django.utils.translation import gettext_lazy as _

from atis.audit.models import Outcome


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_ref = forms.CharField(
        label=_("Object reference"),
        required=False,
        max_length=200,
        help_text=_("As shown in the table (a case's reference finds its whole file), or the object's id."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", _("any")), *Outcome.choices])
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=64)
