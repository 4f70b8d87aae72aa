"""Notes and attachments: sanitised notes; files checked by content and size, stored
under random names, served only as downloads with safe headers; every step audited."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases import attachments
from atis.cases.models import Attachment, Case, Note
from atis.cases.tests.helpers import blank_pdf, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; the next test
    # (of any module) must start from the default language again.
    yield
    translation.deactivate()


EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 240
    + b"This program cannot be run in DOS mode."
)


PDF = blank_pdf()


def en(name: str, case: Case, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", kwargs={"public_id": case.public_id, **kwargs})


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_directory(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def case(personas) -> Case:  # type: ignore[no-untyped-def]
    return open_case(personas["manager_iasi"].user)


def _stored_files() -> set[str]:
    directory = attachments.storage_dir()
    return {path.name for path in directory.iterdir()} if directory.exists() else set()


def _upload(client: Any, case: Case, name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    return client.post(
        en("attachment_add", case),
        {"file": SimpleUploadedFile(name, content, content_type=content_type), "description": "Statement"},
    )


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_note_is_added_and_sanitised(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    response = client.post(en("note_add", case), {"body": "Called her.\n<script>alert(1)</script>\nAll fine."})
    assert response.status_code == 302 and response["Location"] == en("notes", case)
    note = Note.objects.get()
    assert "<script>" not in note.body
    html = client.get(en("notes", case)).content.decode()
    assert "Called her." in html and "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html  # shown as the text that was typed, never run
    assert AuditEntry.objects.filter(action="note.add", object_ref=str(case.public_id)).exists()


def test_an_empty_note_is_refused(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(en("note_add", case), {"body": "   "})
    assert response.status_code == 200 and response.context["note_form"].errors["body"]
    assert not Note.objects.exists()


def test_a_pdf_is_stored_under_a_random_name_with_its_hash(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = _upload(signed_in("manager_iasi"), case, "Declarație Maria.pdf", PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    kept = attachments.read(attachment.storage_name, attachment.file_key)
    assert attachment.content_type == "application/pdf" and attachment.size == len(kept)
    assert kept.startswith(b"%PDF")
    assert attachment.original_name == "Declarație Maria.pdf"
    assert "Maria" not in attachment.storage_name and len(attachment.storage_name) >= 32
    path = attachments.path_of(attachment.storage_name)
    assert path.read_bytes() != kept and path.parent == settings.MEDIA_ROOT / "attachments"
    import hashlib

    assert attachment.sha256 == hashlib.sha256(kept).hexdigest()
    entry = AuditEntry.objects.get(action="attachment.add")
    assert entry.details["type"] == "application/pdf" and "Maria" not in str(entry.details)


def test_a_docx_and_a_text_file_are_accepted_by_their_content(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    assert _upload(client, case, "raport.docx", _docx(), "application/octet-stream").status_code == 302
    assert _upload(client, case, "notes.txt", "Bună ziua.\n".encode(), "text/plain").status_code == 302
    assert set(Attachment.objects.values_list("content_type", flat=True)) == {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/plain",
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.pdf", EXECUTABLE),
        ("page.txt", b"<html><body><script>alert(1)</script></body></html>"),
        ("run.txt", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_a_disguised_file_is_refused_and_nothing_is_stored(signed_in, case, name, content) -> None:  # type: ignore[no-untyped-def]
    before = _stored_files()
    response = _upload(signed_in("manager_iasi"), case, name, content)
    assert response.status_code == 400
    assert "This kind of file is not accepted" in response.content.decode()
    assert not Attachment.objects.exists() and _stored_files() == before
    assert not AuditEntry.objects.filter(action="attachment.add").exists()


def test_a_file_over_10_mb_is_refused_and_nothing_is_stored(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    before = _stored_files()
    too_big = b"a" * (10 * 1024 * 1024 + 1)
    response = _upload(signed_in("manager_iasi"), case, "big.txt", too_big, "text/plain")
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert not Attachment.objects.exists() and _stored_files() == before


def test_a_zip_bomb_disguised_as_a_document_is_refused(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/word/document.xml"/></Types>',
        )
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    response = _upload(signed_in("manager_iasi"), case, "bomb.docx", buffer.getvalue())
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_the_download_is_an_attachment_with_safe_headers_and_is_audited(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    _upload(client, case, "scan.exe.pdf", PDF)
    attachment = Attachment.objects.get()
    response = client.get(en("attachment_download", case, attachment_id=attachment.public_id))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachments.read(attachment.storage_name, attachment.file_key)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="scan.exe.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    entry = AuditEntry.objects.get(action="attachment.download")
    assert entry.actor_label == "manager_iasi" and entry.details == {"attachment": str(attachment.public_id)}


def test_the_download_name_carries_the_real_type(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    _upload(client, case, "invoice.exe", PDF)
    attachment = Attachment.objects.get()
    response = client.get(en("attachment_download", case, attachment_id=attachment.public_id))
    assert 'filename="invoice.pdf"' in response["Content-Disposition"]


def test_the_download_needs_the_scope_and_the_notes_section(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    _upload(signed_in("manager_iasi"), case, "scan.pdf", PDF)
    attachment = Attachment.objects.get()
    url = en("attachment_download", case, attachment_id=attachment.public_id)
    assert signed_in("manager_cluj").get(url).status_code == 404
    other = open_case(personas["manager_iasi"].user)
    assert (
        signed_in("manager_iasi").get(en("attachment_download", other, attachment_id=attachment.public_id)).status_code
        == 404
    )
    assert not AuditEntry.objects.filter(action="attachment.download").exists()
