"""Files kept with a case: what is accepted, where it is stored, how it is read back.

The type is judged by the file's content (libmagic), never by its name or the browser's
claim, so a renamed executable is refused. Files are stored outside any web root under a
random name; the original name is personal data and lives encrypted on the Attachment.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Content type -> the extension the file gets back on download, whatever it was called.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "text/plain": ".txt",
}
_ZIP_CONTAINERS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
}
# Zip-bomb guard for DOCX and ODT: what the archive would expand to.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200
_SNIFF_BYTES = 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "ATIS_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def check_upload(upload: UploadedFile) -> str:
    """The file's real content type when it may be kept; a ValidationError otherwise."""
    limit = max_bytes()
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s. The limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    detected = magic.from_buffer(head, mime=True)
    if detected not in ALLOWED_TYPES:
        raise ValidationError(
            {"file": _("This kind of file is not accepted. Send a PDF, PNG, JPEG, DOCX, ODT or plain text file.")}
        )
    if detected in _ZIP_CONTAINERS:
        _check_archive(upload)
    return detected


def _check_archive(upload: UploadedFile) -> None:
    refused = ValidationError({"file": _("This document is damaged or unsafe to open; it was not accepted.")})
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refused from None
    finally:
        upload.seek(0)
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise refused


@dataclass(frozen=True)
class Stored:
    name: str
    size: int
    sha256: str


def store(upload: UploadedFile) -> Stored:
    directory = storage_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(24)
    digest = hashlib.sha256()
    size = 0
    path = directory / name
    try:
        # "x": never overwrite an existing file, however unlikely a collision is.
        with path.open("xb") as out:
            upload.seek(0)
            for chunk in upload.chunks():
                size += len(chunk)
                if size > max_bytes():
                    raise ValidationError({"file": _("The file is too large.")})
                digest.update(chunk)
                out.write(chunk)
        path.chmod(0o600)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Stored(name=name, size=size, sha256=digest.hexdigest())


def path_of(storage_name: str) -> Path:
    directory = storage_dir().resolve()
    path = (directory / storage_name).resolve()
    if path.parent != directory:
        raise ValueError("storage name outside the attachments directory")
    return path


def discard(storage_name: str) -> None:
    path_of(storage_name).unlink(missing_ok=True)


def clean_name(raw: str) -> str:
    """The name as the user knew it, without any path or control characters."""
    name = PurePath(raw.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:255] or "file"


def download_name(original_name: str, content_type: str) -> str:
    """The original name with the extension of what the file really is."""
    stem = PurePath(original_name).stem or "file"
    return stem[:200] + ALLOWED_TYPES.get(content_type, ".bin")
