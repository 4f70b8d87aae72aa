from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.inclusion_tag("atis/field.html")
def bs_field(field: BoundField) -> dict[str, object]:
    """A form field as Bootstrap 5 markup, with its label, help and errors tied to it."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput,)):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs: dict[str, str | bool] = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    widget_html: SafeString = field.as_widget(attrs=attrs)
    return {"field": field, "widget": widget_html, "is_checkbox": css.startswith("form-check")}
