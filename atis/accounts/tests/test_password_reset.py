from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from atis.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new long passphrase"


def _reset_link(client: Client, email: str) -> str:
    client.post(reverse("accounts:password_reset"), {"email": email})
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/]+(/\S+)", str(mail.outbox[0].body))
    assert found, mail.outbox[0].body
    return found.group(1)


def test_a_reset_sets_the_password_but_the_second_factor_is_still_asked(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    link = _reset_link(client, "coordinator@example.org")
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not client.session.get("_auth_user_id"), "a reset never signs anybody in"

    response = client.post(reverse("accounts:login"), {"username": "coordinator", "password": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:otp_verify")
    assert AuditEntry.objects.filter(action="password_reset.completed", object_label="coordinator").exists()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert mail.outbox == []


def test_a_link_older_than_one_hour_no_longer_works(personas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    link = _reset_link(client, "coordinator@example.org")
    real_now = default_token_generator._now
    monkeypatch.setattr(default_token_generator, "_now", lambda: real_now() + datetime.timedelta(seconds=3601))
    page = client.get(link, follow=True)
    assert not page.context["validlink"]


def test_reset_requests_are_throttled_per_account(personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATIS_PASSWORD_RESET_ACCOUNT_RATE = "3/h"
    answers = {
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            reverse("accounts:password_reset"), {"email": "Coordinator@example.org"}
        )["Location"]
        for n in range(20)
    }
    # The same answer every time (nothing to learn from it), but three mails, not twenty.
    assert answers == {reverse("accounts:password_reset_sent")}
    assert len(mail.outbox) == 3
    assert AuditEntry.objects.filter(action="password_reset.throttled", outcome="denied").count() == 17


def test_reset_requests_are_throttled_per_address(personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATIS_PASSWORD_RESET_ADDRESS_RATE = "5/h"
    client = Client(REMOTE_ADDR="198.51.100.9")
    for key in list(personas)[:8]:
        response = client.post(reverse("accounts:password_reset"), {"email": f"{key}@example.org"})
        assert response["Location"] == reverse("accounts:password_reset_sent")
    assert len(mail.outbox) == 5
    # Another address is not held back by this one.
    Client(REMOTE_ADDR="198.51.100.10").post(reverse("accounts:password_reset"), {"email": "auditor@example.org"})
    assert len(mail.outbox) == 6
