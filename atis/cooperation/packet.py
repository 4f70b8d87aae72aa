"""The minimal case packet sent to a foreign counterpart, encrypted with a one-time password.

Which sections travel is decided by atis.cases: the sections of the referral to the
counterpart (what the person agreed to share, through the consent that referral relies on),
narrowed to what the exporting user may open themselves. Notes and attachments never travel:
they are free text, often with health details, and not part of a referral packet.

Two formats, both from `cryptography`/`pypdf`, no home-made cryptography:
- JSON bundle: a readable header (format, KDF and its parameters, salt, nonce) and the
  AES-256-GCM ciphertext of the packet, the key derived from the password with scrypt; the
  header is authenticated as associated data, so a changed parameter fails to open.
- PDF: rendered by WeasyPrint, then encrypted with AES-256 by pypdf (the PDF 2.0 standard
  security handler); any PDF reader asks for the password.
"""

from __future__ import annotations

import base64
import io
import json
import os
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from atis.cases.models import Case, Section

FORMAT_NAME = "atis-case-packet"
FORMAT_VERSION = 1
# scrypt cost: about 0.1 s and 32 MiB per attempt, so guessing the password offline is slow.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# Unambiguous characters (no 0/O, 1/I/l): the password is read out or typed by a person.
_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS, GROUP_LENGTH = 5, 5  # 25 characters, about 145 bits

PACKET_SECTIONS = (Section.PERSON, Section.CASE, Section.EVENTS, Section.ASSISTANCE, Section.PROCEEDINGS)


class PacketError(Exception):
    """The bundle cannot be opened: wrong password, changed content or not a packet."""


def new_password() -> str:
    groups = ("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(PASSWORD_GROUPS))
    return "-".join(groups)


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def packet_content(*, case: Case, sections: set[str], referral: Any) -> dict[str, Any]:
    """The packet as plain data; only the named sections are read from the database."""
    content: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "case_reference": case.reference,
        "referral": {
            "direction": referral.direction,
            "phase": referral.phase,
            "counterpart": referral.counterpart.name,
            "counterpart_country": referral.counterpart.country,
            "return_status": referral.return_status,
        },
        "sections": sorted(sections),
    }
    if Section.PERSON in sections:
        person = case.person
        content["person"] = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": _date(person.date_of_birth),
            "sex": person.sex,
            "citizenship": person.citizenship,
            "languages": person.languages,
        }
    if Section.CASE in sections:
        content["case"] = {
            "trafficking_status": case.trafficking_status,
            "stage": case.status,
            "forms_of_exploitation": [code.code for code in case.exploitation_forms.all()],
            "internal_or_international": case.trafficking_scope,
            "destination_country": case.destination_country,
            "minor_at_identification": case.minor_at_identification,
            "identified_on": _date(case.identified_on),
            "reflection_period": [_date(case.reflection_starts_on), _date(case.reflection_ends_on)],
        }
    if Section.EVENTS in sections:
        content["events"] = [
            {
                "kind": event.kind,
                "country": event.country,
                "place": event.place,
                "from": _date(event.started_on),
                "until": _date(event.ended_on),
            }
            for event in case.events.all()
        ]
    if Section.ASSISTANCE in sections:
        content["assistance"] = [
            {
                "service": delivery.service_type.code,
                "from": _date(delivery.started_on),
                "until": _date(delivery.ended_on),
            }
            for delivery in case.service_deliveries.select_related("service_type")  # type: ignore[attr-defined]
        ]
    if Section.PROCEEDINGS in sections:
        content["proceedings"] = [
            {"role": proceeding.role, "stage": proceeding.stage, "updated_on": _date(proceeding.updated_on)}
            for proceeding in case.proceedings.all()
        ]
    return content


def _kdf(salt: bytes) -> Scrypt:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def seal_json(content: dict[str, Any], password: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "cipher": "AES-256-GCM",
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "nonce": _b64(nonce),
    }
    header_bytes = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    key = _kdf(salt).derive(password.encode("utf-8"))
    plaintext = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, header_bytes)
    return json.dumps({"header": header, "ciphertext": _b64(ciphertext)}, indent=1).encode()


def open_json(bundle: bytes, password: str) -> dict[str, Any]:
    """The reverse of `seal_json`, for the receiving side and for tests."""
    try:
        wrapper = json.loads(bundle)
        header = wrapper["header"]
        if header.get("format") != FORMAT_NAME or header["kdf"]["name"] != "scrypt":
            raise PacketError("not a case packet")
        kdf = Scrypt(
            salt=base64.b64decode(header["kdf"]["salt"]),
            length=32,
            n=int(header["kdf"]["n"]),
            r=int(header["kdf"]["r"]),
            p=int(header["kdf"]["p"]),
        )
        header_bytes = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
        key = kdf.derive(password.encode("utf-8"))
        plaintext = AESGCM(key).decrypt(
            base64.b64decode(header["nonce"]), base64.b64decode(wrapper["ciphertext"]), header_bytes
        )
    except (InvalidTag, KeyError, TypeError, ValueError) as error:
        raise PacketError("the packet cannot be opened with this password") from error
    result: dict[str, Any] = json.loads(plaintext)
    return result


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The document is self-contained: it must never load anything, local or remote.
    raise ValueError(f"external resource refused: {url[:60]}")


def seal_pdf(content: dict[str, Any], password: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string("cooperation/pdf/packet.html", {"packet": content})
    rendered = HTML(string=html, url_fetcher=_no_fetching).write_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(rendered)))
    # A random owner password nobody keeps: the reader's password opens it, nothing edits it.
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(32), algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
