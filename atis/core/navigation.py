"""The staff menu: each entry is shown only to those its view lets in.

Entries name URLs, not permissions: the view's own access declaration (atis.lib.access)
decides, so the menu can never offer a page that answers 403, nor hide one a role may use.
An entry may add a permission of its own where the view is open to all staff but the page
is useless to most (a strategy list to a case manager).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from atis.lib.access import AccessRule, rule_of


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Promise
    # Any one of these, on top of the view's own rule.
    also_requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    label: Promise
    entries: tuple[Entry, ...]


MENU: tuple[Group, ...] = (
    Group(
        _("Victims"),
        (
            Entry("cases:list", _("Cases"), also_requires=("cases.view_case",)),
            Entry("cases:referral_inbox", _("Referrals"), also_requires=("cases.answer_referral",)),
            Entry("cooperation:transnational_list", _("Transnational referrals")),
            Entry("screening:indicators", _("Screening indicators")),
        ),
    ),
    Group(
        _("HelpLine"),
        (
            Entry("helpline:intake", _("New contact")),
            Entry("helpline:list", _("Contacts")),
            Entry("knowledge:list", _("Knowledge base")),
            Entry("agencies:list", _("Recruitment agencies")),
            Entry("screening:callbacks", _("Job-offer call-backs")),
            Entry("helpline:statistics", _("HelpLine figures")),
        ),
    ),
    Group(
        _("Prevention"),
        (
            Entry("campaigns:list", _("Campaigns")),
            Entry("campaigns:totals", _("Reach against targets")),
            Entry("campaigns:risk", _("Risk by county")),
        ),
    ),
    Group(
        _("Cooperation"),
        (
            Entry("cooperation:partners", _("Partners")),
            Entry("organisations:list", _("Organisations")),
            Entry("cooperation:services", _("Service directory")),
            Entry("cooperation:agreements", _("Agreements")),
            Entry("cooperation:teams", _("County teams")),
        ),
    ),
    Group(
        _("Strategy"),
        (
            Entry(
                "strategy:list",
                _("National strategies"),
                also_requires=("strategy.view_strategy", "strategy.view_strategy_figures"),
            ),
        ),
    ),
    Group(
        _("Statistics"),
        (
            Entry("statistics:dashboard", _("Identified victims")),
            Entry("statistics:comparison", _("International comparison")),
            Entry("statistics:reports", _("Reports and exports")),
        ),
    ),
    Group(
        _("Documents"),
        (
            Entry("library:list", _("Document library")),
            Entry("library:manage", _("Manage documents")),
        ),
    ),
)


@cache
def _rule(url_name: str, language: str) -> tuple[str, AccessRule | None]:
    """The entry's path in the language (the URL carries it) and its view's rule."""
    try:
        path = reverse(url_name)
    except NoReverseMatch:
        # An app left out of INSTALLED_APPS leaves its entries out of the menu.
        return "", None
    return path, rule_of(resolve(path).func)


def _admits(user: Any, rule: AccessRule | None) -> bool:
    if rule is None:
        return False
    if rule.level in ("public", "staff"):
        return True
    return rule.level == "permissions" and bool(user.has_perms(rule.permissions))


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The groups a verified user sees, each with the entries their role may open."""
    groups = []
    for group in MENU:
        entries = []
        for entry in group.entries:
            path, rule = _rule(entry.url_name, get_language())
            extra = not entry.also_requires or any(user.has_perm(perm) for perm in entry.also_requires)
            if extra and _admits(user, rule):
                entries.append({"url": path, "label": entry.label})
        if entries:
            groups.append({"label": group.label, "entries": entries})
    return groups
