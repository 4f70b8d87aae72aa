"""What a case attachment hides is not kept: a photo's position, camera and comment, a PNG's
text, a PDF's author; and what is kept is encrypted at rest, under a key per file that the
field keys wrap and rotate."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter

from atis.cases import attachments
from atis.cases.models import Attachment, Case
from atis.cases.tests.helpers import open_case
from atis.lib.rotation import encrypted_fields, reencrypt_model

pytestmark = pytest.mark.django_db

CAMERA = "Pixel 7 Pro"
COMMENT = "Maria Popescu at the shelter"


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_directory(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def case(personas) -> Case:  # type: ignore[no-untyped-def]
    return open_case(personas["manager_iasi"].user)


def jpeg_with_location() -> bytes:
    """A phone photo: GPS 47°09′54″N 27°35′18″E (Iași), the camera's make and model, a comment."""
    exif = Image.Exif()
    exif[0x010F] = "Google"
    exif[0x0110] = CAMERA
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (47.0, 9.0, 54.0), 3: "E", 4: (27.0, 35.0, 18.0)})
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG", exif=exif, comment=COMMENT.encode())
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Comment", COMMENT)
    info.add_text("Location", "47.165, 27.588")
    out = io.BytesIO()
    Image.new("RGBA", (32, 32), (10, 20, 30, 255)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Maria Popescu", "/Title": "Declarație", "/Creator": CAMERA})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _url(name: str, case: Case, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", kwargs={"public_id": case.public_id, **kwargs})


def _upload_and_download(client: Any, case: Case, name: str, content: bytes) -> tuple[Attachment, bytes]:
    response = client.post(
        _url("attachment_add", case), {"file": SimpleUploadedFile(name, content), "description": "Statement"}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.order_by("-id").first()
    assert attachment is not None and attachment.original_name == name
    return attachment, _download(client, case, attachment)


def _download(client: Any, case: Case, attachment: Attachment) -> bytes:
    response = client.get(_url("attachment_download", case, attachment_id=attachment.public_id))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_photo_downloads_without_its_position_camera_or_comment(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    original = jpeg_with_location()
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(0x8825) and sent.info.get("comment")  # the test photo has them
    attachment, downloaded = _upload_and_download(signed_in("manager_iasi"), case, "photo.jpg", original)
    with Image.open(io.BytesIO(downloaded)) as kept:
        assert kept.format == "JPEG" and kept.size == (64, 48)
        assert not kept.getexif() and not kept.getexif().get_ifd(0x8825)
        assert "comment" not in kept.info and "exif" not in kept.info
    assert CAMERA.encode() not in downloaded and b"Maria" not in downloaded
    assert attachment.content_type == "image/jpeg" and attachment.size == len(downloaded)


def test_a_png_downloads_without_its_text_chunks(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    _attachment, downloaded = _upload_and_download(signed_in("manager_iasi"), case, "scan.png", png_with_text())
    with Image.open(io.BytesIO(downloaded)) as kept:
        assert kept.format == "PNG" and kept.size == (32, 32)
        assert not getattr(kept, "text", {}) and "Comment" not in kept.info
    assert b"tEXt" not in downloaded and b"iTXt" not in downloaded and b"Maria" not in downloaded


def test_a_pdf_downloads_without_its_document_information(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    _attachment, downloaded = _upload_and_download(signed_in("manager_iasi"), case, "decl.pdf", pdf_with_author())
    reader = PdfReader(io.BytesIO(downloaded))
    assert len(reader.pages) == 1
    assert not (reader.metadata or {}).get("/Author") and b"Maria" not in downloaded  # type: ignore[call-overload]


def test_a_pdf_that_cannot_be_opened_is_refused_as_damaged(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(
        _url("attachment_add", case), {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%broken\n")}
    )
    assert response.status_code == 400 and "damaged" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_stored_file_and_its_key_are_not_readable_at_rest(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    text = "Declarația Mariei Popescu, CNP 2850101226718.\n".encode()
    attachment, downloaded = _upload_and_download(signed_in("manager_iasi"), case, "decl.txt", text)
    assert downloaded == text
    stored = attachments.path_of(attachment.storage_name).read_bytes()
    assert text not in stored and b"Popescu" not in stored and b"2850101226718" not in stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_key FROM cases_attachment")
        (raw_key,) = cursor.fetchone()
    # The column holds the file's key wrapped by the field keys, never the key itself.
    assert raw_key and raw_key != attachment.file_key
    assert Fernet(attachment.file_key.encode()).decrypt(stored) == text


def test_rotating_the_field_keys_rewraps_the_file_keys_and_downloads_still_work(  # type: ignore[no-untyped-def]
    signed_in, case, settings
) -> None:
    client = signed_in("manager_iasi")
    attachment, before = _upload_and_download(client, case, "photo.jpg", jpeg_with_location())
    stored_before = attachments.path_of(attachment.storage_name).read_bytes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_key FROM cases_attachment")
        (wrapped_before,) = cursor.fetchone()
    old_keys = list(settings.ATIS_FIELD_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.ATIS_FIELD_KEYS = [new_key, *old_keys]
    # What rotate_field_keys does, table by table (another test module registers a model
    # whose table exists only during its own tests).
    tables = set(connection.introspection.table_names())
    rotated = {model: fields for model, fields in encrypted_fields() if model._meta.db_table in tables}
    assert "file_key" in rotated[Attachment]
    for model, fields in rotated.items():
        for _done in reencrypt_model(model, fields):
            pass
    settings.ATIS_FIELD_KEYS = [new_key]  # the old keys are gone
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_key FROM cases_attachment")
        (wrapped_after,) = cursor.fetchone()
    assert wrapped_after != wrapped_before
    assert Fernet(new_key.encode()).decrypt(wrapped_after.encode()).decode() == attachment.file_key
    # The file itself was not rewritten: only its key was re-wrapped.
    assert attachments.path_of(attachment.storage_name).read_bytes() == stored_before
    attachment.refresh_from_db()
    assert _download(client, case, attachment) == before


def test_files_kept_before_are_cleaned_and_encrypted_by_the_migration(  # type: ignore[no-untyped-def]
    signed_in, case, django_capture_on_commit_callbacks
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("atis.cases.migrations.0005_attachment_file_key")
    attachment, _downloaded = _upload_and_download(signed_in("manager_iasi"), case, "old.jpg", jpeg_with_location())
    # As a file kept before this change: in clear, with its metadata, and no key.
    legacy = attachments.path_of(attachment.storage_name)
    legacy.write_bytes(jpeg_with_location())
    Attachment.objects.filter(pk=attachment.pk).update(file_key="")
    with django_capture_on_commit_callbacks(execute=True):
        migration.encrypt_kept_files(apps, None)
    attachment.refresh_from_db()
    assert attachment.file_key and not legacy.exists()
    kept = attachments.read(attachment.storage_name, attachment.file_key)
    assert (
        CAMERA.encode() not in kept and CAMERA.encode() not in attachments.path_of(attachment.storage_name).read_bytes()
    )
    assert _download(signed_in("manager_iasi"), case, attachment) == kept
