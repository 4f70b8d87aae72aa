"""The client's address behind 0, 1 or 2 reverse proxies: one answer for the audit log, the
lockout and every rate limit, which a client cannot change by forging X-Forwarded-For."""

from __future__ import annotations

from typing import Any

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from atis.audit.models import AuditEntry
from atis.lib.client_ip import client_ip

CLIENT = "203.0.113.77"
PROXY_1, PROXY_2 = "10.0.0.5", "127.0.0.1"


def _request(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_connection_is_the_client_and_the_header_is_ignored(settings) -> None:
    settings.ATIS_PROXY_COUNT = 0
    assert client_ip(_request(CLIENT, "198.51.100.1")) == CLIENT


def test_behind_one_proxy_the_client_is_the_last_forwarded_entry(settings) -> None:
    settings.ATIS_PROXY_COUNT = 1
    assert client_ip(_request(PROXY_2, CLIENT)) == CLIENT


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings) -> None:
    settings.ATIS_PROXY_COUNT = 2
    assert client_ip(_request(PROXY_2, f"{CLIENT}, {PROXY_1}")) == CLIENT


@pytest.mark.parametrize("proxies", [1, 2])
@given(forged=st.lists(st.one_of(st.ip_addresses().map(str), st.text(max_size=20)), max_size=5))
def test_entries_a_client_prepends_never_change_its_address(proxies: int, forged: list[str]) -> None:
    # What the client sent, then what each proxy appended: the client's address, then the
    # address of every proxy but the nearest (which is REMOTE_ADDR).
    chain = [*(entry.replace(",", "") for entry in forged), CLIENT, PROXY_1][: len(forged) + proxies]
    with override_settings(ATIS_PROXY_COUNT=proxies):
        assert client_ip(_request(PROXY_2, ", ".join(chain))) == CLIENT


def test_a_header_shorter_than_the_proxy_chain_keeps_the_connection_address(settings) -> None:
    settings.ATIS_PROXY_COUNT = 2
    assert client_ip(_request(PROXY_2, CLIENT)) == PROXY_2
    assert client_ip(_request(PROXY_2)) == PROXY_2
    settings.ATIS_PROXY_COUNT = 1
    assert client_ip(_request(PROXY_2, "not-an-address")) == PROXY_2


def test_axes_reads_the_same_address(settings) -> None:
    settings.ATIS_PROXY_COUNT = 1
    assert get_client_ip_address(_request(PROXY_2, f"198.51.100.1, {CLIENT}")) == CLIENT


@pytest.mark.django_db
def test_the_audit_log_and_the_lockout_record_the_client_behind_a_proxy(settings, personas) -> None:  # type: ignore[no-untyped-def]
    settings.ATIS_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=PROXY_2, HTTP_X_FORWARDED_FOR=f"198.51.100.1, {CLIENT}")
    client.post(reverse("accounts:login"), {"username": "coordonator", "password": "wrong password 1"})
    assert AuditEntry.objects.filter(action="login.failed").values_list("ip", flat=True).get() == CLIENT
    assert AccessAttempt.objects.values_list("ip_address", flat=True).get() == CLIENT


@pytest.mark.django_db
def test_the_public_job_offer_limit_counts_each_client_behind_a_proxy(settings) -> None:
    settings.ATIS_PROXY_COUNT = 1
    settings.ATIS_JOB_OFFER_PUBLIC_RATE = "3/h"
    url = reverse("screening:job_offer")
    offer = {"text": "A data analyst for our reporting team, two years of SQL, apply on our website."}
    # 33 different clients through the same proxy: none of them is refused.
    statuses = {
        Client(REMOTE_ADDR=PROXY_2, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post(url, offer).status_code
        for n in range(1, 34)
    }
    assert statuses == {200}
    # One client is refused past its limit, however it varies what it prepends.
    own = [
        Client(REMOTE_ADDR=PROXY_2, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {CLIENT}").post(url, offer).status_code
        for n in range(5)
    ]
    assert own[:3] == [200, 200, 200] and own[3:] == [429, 429]
