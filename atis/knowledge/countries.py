"""The destination countries the knowledge base is written for (ISO 3166-1 alpha-2).

The project keeps no full country list and none is needed here: articles are written for the
countries Romanians go to work in (the EU and EEA, the United Kingdom, Switzerland and the
main destinations beyond Europe). Adding one is a line here and a Romanian name.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNTRIES: dict[str, str | Promise] = {
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GR": _("Greece"),
    "HR": _("Croatia"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IS": _("Iceland"),
    "IT": _("Italy"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "LV": _("Latvia"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "NO": _("Norway"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "SE": _("Sweden"),
    "SI": _("Slovenia"),
    "SK": _("Slovakia"),
    "CH": _("Switzerland"),
    "GB": _("United Kingdom"),
    "MD": _("Moldova"),
    "TR": _("Türkiye"),
    "IL": _("Israel"),
    "AE": _("United Arab Emirates"),
    "QA": _("Qatar"),
    "US": _("United States"),
    "CA": _("Canada"),
}


def country_name(code: str) -> str:
    return str(COUNTRIES.get(code, code)) if code else ""


def country_choices() -> list[tuple[str, str]]:
    """Sorted by the name in the active language."""
    return sorted(((code, str(name)) for code, name in COUNTRIES.items()), key=lambda item: item[1])
