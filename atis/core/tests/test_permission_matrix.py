"""Every URL × every persona has an expected answer; a new URL without one fails here.

The expectations are written out, not derived from the views' own declarations, so a view
that declares the wrong rule is caught too.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from atis.core.tests.matrix import (
    ADMIN,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    STAFF_WITH_ORGS,
    Row,
    everyone,
    only,
)
from atis.lib.access import rule_of
from conftest import PERSONAS

# url name -> (kwargs builder key, expected status per persona, expected for anonymous)
CORE_ROWS: dict[str, Row] = {
    "health": (None, everyone(OK), OK),
    "api_schema": (None, everyone(OK), REDIRECT),
    "core:home": (None, everyone(REDIRECT), REDIRECT),
    "core:dashboard": (None, everyone(OK), REDIRECT),
    "accounts:login": (None, everyone(REDIRECT), OK),
    "accounts:otp_verify": (None, everyone(OK), REDIRECT),
    "accounts:otp_enrol": (None, everyone(REDIRECT), REDIRECT),
    "accounts:logout": (None, everyone(NOT_ALLOWED), REDIRECT),
    "accounts:step_up": (None, everyone(OK), REDIRECT),
    "accounts:password_change": (None, everyone(OK), REDIRECT),
    "accounts:password_reset": (None, everyone(OK), OK),
    "accounts:password_reset_sent": (None, everyone(OK), OK),
    "accounts:password_reset_confirm": ("reset_link", everyone(OK), OK),
    "accounts:password_reset_done": (None, everyone(OK), OK),
    "accounts:user_list": (None, only(ADMIN), REDIRECT),
    "accounts:user_create": (None, only(ADMIN), REDIRECT),
    "accounts:user_detail": ("other_user", only(ADMIN), REDIRECT),
    "accounts:user_edit": ("other_user", only(ADMIN), REDIRECT),
    "accounts:user_membership": ("other_user", only(ADMIN), REDIRECT),
    "accounts:user_set_active": ("other_user", only(ADMIN, yes=NOT_ALLOWED), REDIRECT),
    "accounts:user_reset_otp": ("other_user", only(ADMIN, yes=NOT_ALLOWED), REDIRECT),
    "accounts:user_password": ("other_user", only(ADMIN), REDIRECT),
    "accounts:role_list": (None, only(ADMIN), REDIRECT),
    "organisations:list": (None, only(STAFF_WITH_ORGS), REDIRECT),
    "organisations:create": (None, only(ADMIN), REDIRECT),
    "organisations:coverage": (None, only(ADMIN), REDIRECT),
    # A Cluj NGO: national roles and the Cluj centre see it; Iași's centre, other
    # organisations' staff and the HelpLine (own records only) get 404.
    "organisations:detail": (
        "cluj_ngo",
        {
            **only(STAFF_WITH_ORGS, no=FORBIDDEN),
            "manager_iasi": NOT_FOUND,
            "analyst_iasi": NOT_FOUND,
            "ngo": NOT_FOUND,
            "operator": NOT_FOUND,
            "reporter": NOT_FOUND,
            "campaigns": NOT_FOUND,
        },
        REDIRECT,
    ),
    "organisations:edit": ("cluj_ngo", only(ADMIN), REDIRECT),
    "audit:list": (None, only({"auditor"}), REDIRECT),
    # The export first asks for the second factor again (step-up), hence a redirect.
    "audit:export": (None, only({"auditor"}, yes=REDIRECT), REDIRECT),
}


def _app_row_modules() -> list:  # type: ignore[type-arg]
    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.permission_rows"
        if (
            config.name.startswith("atis.")
            and importlib.util.find_spec(f"{config.name}.tests")
            and importlib.util.find_spec(name)
        ):
            modules.append(importlib.import_module(name))
    return modules


def _expected() -> dict[str, Row]:
    rows = dict(CORE_ROWS)
    for module in _app_row_modules():
        overlap = set(rows) & set(module.ROWS)
        assert not overlap, f"{module.__name__} repeats rows: {overlap}"
        rows.update(module.ROWS)
    return rows


EXPECTED = _expected()


def _walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name}", pattern


def all_url_names() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver().url_patterns))


def test_every_url_has_a_name_an_access_rule_and_an_expectation() -> None:
    urls = all_url_names()
    unnamed = [str(p.pattern) for name, p in urls.items() if name.endswith("None")]
    assert not unnamed, f"URLs without a name: {unnamed}"
    undeclared = [name for name, pattern in urls.items() if rule_of(pattern.callback) is None]
    assert not undeclared, f"Views without an access rule: {undeclared}"
    missing = sorted(set(urls) - set(EXPECTED))
    assert not missing, f"URLs with no row in the permission matrix: {missing}"
    stale = sorted(set(EXPECTED) - set(urls))
    assert not stale, f"Matrix rows for URLs that no longer exist: {stale}"


@pytest.fixture
def url_kwargs(personas):  # type: ignore[no-untyped-def]
    from atis.geo.models import County
    from atis.organisations.models import Organisation, OrganisationKind

    cluj_ngo = Organisation.objects.create(
        name="Matrix NGO Cluj", kind=OrganisationKind.NGO, county=County.objects.get(mnemonic="CJ")
    )
    kwargs: dict[str | None, dict] = {  # type: ignore[type-arg]
        None: {},
        "other_user": {"public_id": personas["analyst"].user.public_id},
        "cluj_ngo": {"public_id": cluj_ngo.public_id},
        "reset_link": {"uidb64": "MQ", "token": "expired-token"},
    }
    for module in _app_row_modules():
        if hasattr(module, "url_kwargs"):
            kwargs.update(module.url_kwargs(personas))
    return kwargs


@pytest.mark.parametrize("url_name", sorted(EXPECTED))
def test_permission_matrix(url_name: str, url_kwargs, signed_in) -> None:  # type: ignore[no-untyped-def]
    kwargs_key, expected, anonymous = EXPECTED[url_name]
    url = reverse(url_name, kwargs=url_kwargs[kwargs_key])
    answers = {persona: signed_in(persona).get(url).status_code for persona in PERSONAS}
    assert answers == expected
    assert Client().get(url).status_code == anonymous


def test_password_alone_reaches_nothing(personas, url_kwargs) -> None:  # type: ignore[no-untyped-def]
    """Signed in with the password but not the second factor: every protected page sends
    the user to the code page."""
    client = Client()
    client.force_login(personas["coordinator"].user)
    for url_name, (kwargs_key, expected, anonymous) in EXPECTED.items():
        protected = anonymous != OK and url_name != "accounts:otp_verify"
        if protected and expected["coordinator"] in (OK, NOT_FOUND):
            response = client.get(reverse(url_name, kwargs=url_kwargs[kwargs_key]))
            assert response.status_code == REDIRECT, url_name
            assert "/accounts/login/" in response["Location"], url_name
