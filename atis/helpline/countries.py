"""Destination countries offered in the intake screen (ISO 3166-1 alpha-2).

The countries Romanian workers most often leave for, as seen in the agency's reports;
any other country is recorded through "another country" in the summary.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DESTINATIONS: dict[str, str | Promise] = {
    "RO": _("Romania (internal)"),
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "CA": _("Canada"),
    "CH": _("Switzerland"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GB": _("United Kingdom"),
    "GR": _("Greece"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IL": _("Israel"),
    "IT": _("Italy"),
    "MD": _("Moldova"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "NO": _("Norway"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "QA": _("Qatar"),
    "AE": _("United Arab Emirates"),
    "SE": _("Sweden"),
    "TR": _("Türkiye"),
    "US": _("United States"),
}


def country_name(code: str) -> str:
    return str(DESTINATIONS.get(code, code))


def country_choices() -> list[tuple[str, str]]:
    """Sorted by name in the current language, so typing the first letters finds a country."""
    return sorted(((code, str(name)) for code, name in DESTINATIONS.items()), key=lambda item: item[1])
