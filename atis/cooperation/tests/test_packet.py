"""The case packet: only the sections the person consented to share, unreadable without its
password, refused once consent is withdrawn, and audited without the password."""

from __future__ import annotations

import datetime
import io
import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from atis.accounts.stepup import STEP_UP_AT
from atis.audit.models import AuditEntry
from atis.cases import services as case_services
from atis.cases.models import Section
from atis.cooperation import packet, services
from atis.cooperation.models import PacketExport, TransnationalReferral
from atis.cooperation.tests import helpers


def test_the_json_packet_holds_only_the_consented_sections(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    referral = helpers.transnational(manager, sections=(Section.CASE, Section.EVENTS))
    exported = services.packet_export(actor=manager, referral=referral, fmt="json")

    content = packet.open_json(exported.content, exported.password)
    assert content["case_reference"] == referral.case.reference
    assert content["sections"] == ["case", "events"]
    assert "case" in content and "events" in content
    # The manager may see the identity, but the person did not agree to share it.
    assert "person" not in content and "proceedings" not in content
    assert "Maria" not in json.dumps(content)


def test_identity_travels_only_when_consented(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    referral = helpers.transnational(manager, sections=(Section.PERSON,))
    exported = services.packet_export(actor=manager, referral=referral, fmt="json")
    content = packet.open_json(exported.content, exported.password)
    assert content["person"]["first_name"] == "Maria"
    assert "case" not in content


def test_the_json_packet_cannot_be_read_without_its_password(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    referral = helpers.transnational(manager, sections=(Section.PERSON, Section.CASE))
    exported = services.packet_export(actor=manager, referral=referral, fmt="json")

    raw = exported.content.decode()
    assert "Maria" not in raw and referral.case.reference not in raw and "sexual" not in raw
    with pytest.raises(packet.PacketError):
        packet.open_json(exported.content, "wrong-password")
    # The header is authenticated: weakening the KDF parameters breaks the packet.
    tampered = json.loads(exported.content)
    tampered["header"]["kdf"]["n"] = 2**14
    with pytest.raises(packet.PacketError):
        packet.open_json(json.dumps(tampered).encode(), exported.password)
    assert packet.open_json(exported.content, exported.password)["person"]["last_name"] == "Popescu"


def test_the_pdf_packet_is_encrypted_and_opens_with_its_password(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    referral = helpers.transnational(manager, sections=(Section.PERSON, Section.CASE))
    exported = services.packet_export(actor=manager, referral=referral, fmt="pdf")

    assert exported.content.startswith(b"%PDF")
    assert b"Popescu" not in exported.content
    reader = PdfReader(io.BytesIO(exported.content))
    assert reader.is_encrypted
    assert not reader.decrypt("wrong-password")
    reader = PdfReader(io.BytesIO(exported.content))
    assert reader.decrypt(exported.password)
    text = "".join(page.extract_text() for page in reader.pages)
    assert referral.case.reference in text and "Popescu" in text


def test_no_packet_once_consent_is_withdrawn(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    referral = helpers.transnational(manager)
    assert referral.sharing is not None and referral.sharing.consent is not None
    consent = referral.sharing.consent
    case_services.consent_withdraw(actor=manager, consent=consent, withdrawn_on=datetime.date(2026, 3, 20))
    referral.refresh_from_db()

    assert services.packet_sections(manager, referral) == set()
    with pytest.raises(ValidationError):
        services.packet_export(actor=manager, referral=referral, fmt="json")
    assert not PacketExport.objects.exists()


def test_an_outgoing_referral_needs_the_persons_consent(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        helpers.transnational(personas["manager_iasi"].user, consent=False)
    assert refused.value.code == "consent_missing"
    assert not TransnationalReferral.objects.exists()


def test_the_export_is_audited_and_the_password_kept_nowhere(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    referral = helpers.transnational(manager)
    exported = services.packet_export(actor=manager, referral=referral, fmt="json")

    entry = AuditEntry.objects.get(action="transnational.packet_export")
    assert entry.object_label == referral.case.reference
    assert entry.details["sections"] == ["case", "events"]
    record = PacketExport.objects.get()
    assert record.sections == ["case", "events"]
    stored = json.dumps([entry.details, record.sections, record.sha256])
    assert exported.password not in stored


def test_the_packet_page_shows_the_password_once_and_the_file_downloads_once(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    referral = helpers.transnational(manager)
    client = signed_in("manager_iasi")
    url = reverse("cooperation:packet", args=[referral.public_id])
    assert client.get(url).status_code == 302  # asks for the second factor again first

    session = client.session
    session[STEP_UP_AT] = time.time()
    session.save()
    assert client.get(url).status_code == 200
    page = client.post(url, {"format": "json"})
    assert page.status_code == 200
    password = page.context["password"]
    assert password in page.content.decode()

    download = reverse("cooperation:packet_download", args=[page.context["token"]])
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert packet.open_json(response.content, password)["case_reference"] == referral.case.reference
    assert client.get(download).status_code == 404
    # Another user cannot fetch someone else's packet, even with its token.
    assert signed_in("coordinator").get(download).status_code == 404
